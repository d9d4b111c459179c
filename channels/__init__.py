"""The channel log: every contact with a platform or an outside body on a case, the directory of
bodies, and the route guidance (who may file what where) by the seller's role."""
