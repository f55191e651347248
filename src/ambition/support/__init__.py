"""Peer support: requests and offers, the broker that matches them, peer reviews,
secondments, back-fill and the give-and-take ledger."""
