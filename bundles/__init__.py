"""The evidence bundle: one zip of a case for a regulator, an arbitrator or a court — every file
with its hash, the contact log and the timeline. Above evidence and contacts: it reads both."""
