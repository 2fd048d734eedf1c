"""Complaint delays of the framework agreement."""

# CCTP 3.7 (L820-821): the operator acknowledges a complaint within 7 days of receiving it
# and answers within 45 days of receiving it.
COMPLAINT_ACKNOWLEDGEMENT_DAYS = 7
COMPLAINT_ANSWER_DAYS = 45
