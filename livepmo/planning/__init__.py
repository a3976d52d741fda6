"""Planning maths: filled by the planning-engine issue."""
