"""Documents in: read and validate sources, analyse on every core, write a new index, swap it in."""
