"""Admission to the Party (kết nạp đảng viên): candidates (quần chúng ưu tú → cảm tình đảng → the
admission file → the votes → the decision → the ceremony), their steps, votes and the board."""
