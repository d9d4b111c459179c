"""Messages on a case between the seller and support, and support's internal notes, with the
"awaiting our reply" mark the desk triages on."""
