"""Vietnamese personal names by ethnic group, with realistic frequencies (demo and synth data).

Each group lists weighted family names, middle names (by sex) and given names (by sex). The
frequencies are rough but keep the low entropy of real names (Nguyễn, "Văn", "Thị", Giàng A …),
which is what makes name search realistic to measure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

KINH, THAI, HOA, MONG, DAO, KHMU = "01", "03", "04", "08", "09", "29"


def _w(spec: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """'Nguyễn:30 Trần:10 Lê' → (names, cumulative weights); a missing weight counts 1."""
    names, weights = [], []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        name, _, w = item.partition(":")
        names.append(name.strip())
        weights.append(int(w) if w else 1)
    return tuple(names), tuple(accumulate(weights))


@dataclass(frozen=True)
class NamePool:
    family: tuple
    male_middle: tuple
    female_middle: tuple
    male_given: tuple
    female_given: tuple

    def full_name(self, rng: random.Random, sex: str) -> str:
        fam = rng.choices(self.family[0], cum_weights=self.family[1])[0]
        if sex == "F":
            mid = rng.choices(self.female_middle[0], cum_weights=self.female_middle[1])[0]
            given = rng.choices(self.female_given[0], cum_weights=self.female_given[1])[0]
        else:
            mid = rng.choices(self.male_middle[0], cum_weights=self.male_middle[1])[0]
            given = rng.choices(self.male_given[0], cum_weights=self.male_given[1])[0]
        return " ".join(p for p in (fam, mid, given) if p)


POOLS: dict[str, NamePool] = {
    KINH: NamePool(
        family=_w("Nguyễn:32, Trần:11, Lê:9, Phạm:7, Hoàng:5, Vũ:4, Đặng:3, Bùi:3, Đỗ:3, Ngô:2, Hồ:2, Dương:2,"
                  " Đinh:2, Đào:1, Lương:1, Trịnh:1, Mai:1, Hà:1, Tạ:1, Lưu:1, Phan:2, Cao:1, Kiều:1"),
        male_middle=_w("Văn:40, Đức:8, Ngọc:5, Quang:5, Minh:6, Xuân:4, Hữu:5, Công:4, Thành:3, Mạnh:3, Tiến:3,"
                       " Trọng:3, Anh:3, Duy:3, Đình:3, Thế:2, Việt:2"),
        female_middle=_w("Thị:55, Thu:6, Thanh:5, Hồng:5, Ngọc:5, Thúy:3, Minh:3, Phương:3, Kim:3, Bích:2,"
                         " Diệu:2, Mai:2, Hải:2, Khánh:2"),
        male_given=_w("Hùng:5, Dũng:5, Tuấn:5, Cường:4, Hải:4, Long:4, Nam:4, Sơn:4, Thắng:4, Trung:4, Quân:3,"
                      " Hiếu:3, Đạt:3, Hưng:3, Phong:3, Thành:3, Minh:4, Tùng:3, Khánh:2, Kiên:2, Linh:2, Hoàng:2,"
                      " Bình:3, Toàn:2, Thịnh:2, Đức:3, Anh:4, An:3, Huy:3, Lâm:2, Vinh:2, Quyết:2, Chiến:2,"
                      " Hào:1, Khải:1, Lộc:1, Nghĩa:2, Phúc:2, Quang:2, Tâm:2, Thanh:2, Tiến:2, Việt:2"),
        female_given=_w("Lan:4, Hương:5, Hà:4, Hoa:4, Mai:4, Thủy:4, Nga:3, Hằng:4, Linh:4, Trang:5, Huyền:4,"
                        " Yến:3, Thảo:4, Phương:3, Loan:2, Nhung:3, Hạnh:3, Hiền:3, Dung:3, Oanh:2, Thoa:2, Vân:3,"
                        " Anh:4, Ngọc:2, Quỳnh:2, Tuyết:2, Xuân:2, Liên:2, Giang:2, Châm:1, Duyên:2, Thư:2"),
    ),
    THAI: NamePool(
        family=_w("Lò:28, Lường:12, Quàng:10, Cầm:8, Tòng:7, Điêu:6, Vì:6, Lù:5, Hoàng:4, Lèo:3, Mè:2, Bạc:2,"
                  " Khoàng:2, Ló:1, Sầm:2, Lừ:1"),
        male_middle=_w("Văn:92, Thanh:2, Ngọc:2, Xuân:2, Đức:2"),
        female_middle=_w("Thị:95, Thanh:2, Ngọc:2, Hồng:1"),
        male_given=_w("Sơn:3, Pánh:2, Xuân:3, Ương:2, Thanh:3, Hoan:2, Chiến:3, Dũng:3, Phong:3, Minh:3, Khằm:2,"
                      " Inh:2, Ón:2, Piềng:2, Hặc:1, Tiên:2, Thiết:2, Tuấn:3, Hùng:3, Hương:2, Chung:2, Ngoan:2,"
                      " Lả:1, Xôm:1, Hom:1, Đôi:2, Phương:2, Thắng:2, Tâm:2, Pọm:1"),
        female_given=_w("Ín:2, Xuyến:2, Bua:2, Panh:2, Hom:2, Ọn:1, Xiêng:2, Én:2, Pọm:1, Thoan:2, Hương:3, Lả:1,"
                        " Hoa:3, Diện:1, Nhung:2, Hiên:2, Lan:2, Mai:2, Thương:2, Ỏn:1, Phương:2, Chinh:2, Ngoan:2"),
    ),
    MONG: NamePool(
        family=_w("Giàng:18, Sùng:14, Vàng:14, Lý:10, Thào:10, Mùa:8, Sình:4, Hạng:5, Lầu:5, Vừ:6, Cứ:3, Tráng:3,"
                  " Hờ:2, Chá:2, Mua:2, Lò:1"),
        male_middle=_w("A:60, Văn:30, Chứ:3, Seo:2, Páo:2, Nhìa:3"),
        female_middle=_w("Thị:88, Mỷ:6, Mý:4, Y:2"),
        male_given=_w("Páo:3, Sử:3, Lử:3, Dế:3, Chư:3, Tủa:3, Dình:2, Chống:2, Pó:2, Sáy:2, Lềnh:1, Của:3, Vừ:2,"
                      " Khua:2, Chá:2, Dơ:2, Phừ:1, Chinh:2, Chứ:3, Sính:2, Súa:1, Tòng:2, Nhà:2, Sềnh:1, Dua:2,"
                      " Lâu:2, Thề:1, Giàng:1, Pà:1, Dũng:2, Minh:2, Thào:1, Hồ:2, Lồng:1"),
        female_given=_w("Dợ:3, Súa:2, Mỷ:3, Chở:2, Mai:3, Sua:2, Dua:2, Pà:2, Say:2, Ly:2, Máy:2, Nhia:2, Chía:2,"
                        " Dia:2, Mẩy:1, Của:1, Xá:1, Hoa:2, Dinh:1, Lan:2, Chi:2, Ninh:1"),
    ),
    DAO: NamePool(
        family=_w("Triệu:14, Bàn:12, Đặng:10, Chảo:12, Tẩn:12, Lý:10, Phùn:5, Sìn:3, Phàn:4"),
        male_middle=_w("Văn:45, Láo:15, Tả:10, Kiềm:5, Chòi:5, Phù:5, Seo:3, Quẩy:4"),
        female_middle=_w("Thị:70, Mỷ:12, Mý:10, Tả:3"),
        male_given=_w("Chiêu:3, Lở:3, Sành:3, Vần:2, Phẩu:2, Kiềm:2, Quẩy:2, Seng:2, Chài:2, Lin:2, Mình:2,"
                      " Phin:2, Tài:2, Sơn:2, Lai:1, Lìu:1, Phú:2, Tiến:2"),
        female_given=_w("Mẩy:3, Sảng:3, Chạn:2, Sinh:2, Sì:2, Lai:2, Dín:2, Xuân:2, Chiêu:1, Dung:2, Hoa:2, Lan:2"),
    ),
    KHMU: NamePool(
        family=_w("Lò:30, Vì:20, Quàng:14, Cút:12, Lường:8, Lù:6, Tòng:4, Khoàng:4"),
        male_middle=_w("Văn:95, Thanh:5"),
        female_middle=_w("Thị:97, Ngọc:3"),
        male_given=_w("Pản:2, Khăm:2, Ếnh:2, Dung:2, Cương:2, Thoại:2, Phong:2, Ón:2, Bun:2, Xiến:1, Hùng:2,"
                      " Chung:2, Thiên:1, Phương:2, Sang:2, Tuấn:2, Ỏn:1, Thái:1, Hiền:1"),
        female_given=_w("Phơi:2, Ín:2, Nọi:2, Bun:2, Ỏn:2, Lả:2, Xuân:2, Hương:2, Phương:2, Hoa:2, Nhung:1, Thảo:1"),
    ),
    HOA: NamePool(
        family=_w("Sìn:4, Vương:3, Lý:3, Chu:2, Trương:2, Sếnh:2, Lù:2"),
        male_middle=_w("Văn:60, Sếnh:10, Chắn:10, Dín:10, A:10"),
        female_middle=_w("Thị:80, Mùi:10, Sáng:10"),
        male_given=_w("Sáng:2, Pín:2, Chắn:2, Dìn:2, Phủ:2, Quang:2, Hòa:2, Lìn:2, Sình:1"),
        female_given=_w("Mùi:2, Sáng:2, Lan:2, Múi:2, Hoa:2, Mai:2"),
    ),
}


def full_name(rng: random.Random, ethnicity: str, sex: str) -> str:
    return POOLS.get(ethnicity, POOLS[KINH]).full_name(rng, sex)


#: Home provinces of Kinh cadres who came to the mountains (lowland provinces).
KINH_HOME_PROVINCES = (
    "Thái Bình", "Nam Định", "Thanh Hóa", "Nghệ An", "Hà Nam", "Ninh Bình", "Hưng Yên", "Hải Dương",
    "Phú Thọ", "Hà Nội", "Bắc Giang", "Vĩnh Phúc", "Điện Biên",
)
