# English pages keep the Vietnamese formats (dd/mm/yyyy, 1.154, 24,8): the data and reports are Vietnamese.
from dangvu.formats.vi.formats import *  # noqa: F403
