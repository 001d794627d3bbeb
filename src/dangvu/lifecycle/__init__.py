"""The member lifecycle under the Party's rules (vòng đời đảng viên): probation, official recognition,
transfers, exemption, discipline, exits, cards and badges. (Admission is the `admission` app's.)"""
