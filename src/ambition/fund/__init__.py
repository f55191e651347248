"""The improvement fund: every budget (grants, back-fill, incentives), applications and their
appraisal and decision, awards, tranches and payments, impact and the 360Giving export."""
