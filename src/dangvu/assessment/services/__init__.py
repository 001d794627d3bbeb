"""The assessment's services: recorded ratings (`ratings`: imports, corrections, cap warnings) and the
yearly cycle (`cycle`: open; `member_steps`: self-assessment, the chi bộ's review, residence comments;
`decisions`: the decision; `sheet`: a chi bộ's sheet in one write)."""

from .batches import RowRefusals
from .cycle import cycle_open
from .decisions import RatingDecision, ratings_decide
from .member_steps import cell_review_record, residence_comment_record, self_assessment_record
from .ratings import (
    CapWarning,
    cap_warnings,
    check_year,
    grassroots_of,
    match_rating,
    not_rated_check,
    place_ratings,
    ratings_write_many,
    record_rating,
    year_end_period,
)
from .sheet import Proposal, cell_in_cycle, cell_reviews_record

__all__ = [
    "CapWarning",
    "Proposal",
    "RatingDecision",
    "RowRefusals",
    "cap_warnings",
    "cell_in_cycle",
    "cell_review_record",
    "cell_reviews_record",
    "check_year",
    "cycle_open",
    "grassroots_of",
    "match_rating",
    "not_rated_check",
    "place_ratings",
    "ratings_decide",
    "ratings_write_many",
    "record_rating",
    "residence_comment_record",
    "self_assessment_record",
    "year_end_period",
]
