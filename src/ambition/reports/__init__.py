"""The top floor: the annual review pack for one member (and for the whole partnership),
as a page and a PDF, and the meetings where board members review it with the council."""
