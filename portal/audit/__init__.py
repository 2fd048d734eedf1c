"""Who read what: the reads of a person's file by staff who are not the person's own
operator (the mediator of France compétences), logged one row per page or file served, and
told to the person in their space. No Flask here."""
