"""The member lifecycle under the Party's rules (vòng đời đảng viên): candidates, admission, probation,
official recognition, transfers, exemption, discipline, exits, cards and badges."""
