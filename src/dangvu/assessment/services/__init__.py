"""The assessment's services: recorded ratings (`ratings`: imports, corrections, cap warnings) and the
yearly cycle (`cycle`: open, self-assessment, the chi bộ's review, the decision, residence comments)."""

from .ratings import (
    CapWarning,
    cap_warnings,
    check_year,
    exempted_rating_check,
    grassroots_of,
    match_rating,
    place_ratings,
    ratings_write_many,
    record_rating,
    year_end_period,
)

__all__ = [
    "CapWarning",
    "cap_warnings",
    "check_year",
    "exempted_rating_check",
    "grassroots_of",
    "match_rating",
    "place_ratings",
    "ratings_write_many",
    "record_rating",
    "year_end_period",
]
