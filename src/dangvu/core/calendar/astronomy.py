"""Astronomy of the lunisolar calendar: true new moons and the Sun's apparent longitude (J. Meeus,
Astronomical Algorithms, ch. 25, 47, 49), on Julian Day Numbers."""

from __future__ import annotations

import datetime
import math

_JDN_OFFSET = 1721425  # Julian Day Number (at noon) = date.toordinal() + _JDN_OFFSET
_SYNODIC_MONTH = 29.530588861
_RAD = math.pi / 180


def _jdn(day: datetime.date) -> int:
    return day.toordinal() + _JDN_OFFSET


def _from_jdn(jdn: int) -> datetime.date:
    return datetime.date.fromordinal(jdn - _JDN_OFFSET)


def _delta_t_days(jd: float) -> float:
    """TT - UT in days (Espenak & Meeus polynomials, 1920-2150)."""
    y = 2000 + (jd - 2451545.0) / 365.25
    if y < 1941:
        t = y - 1920
        seconds = 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    elif y < 1961:
        t = y - 1950
        seconds = 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    elif y < 1986:
        t = y - 1975
        seconds = 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    elif y < 2005:
        t = y - 2000
        seconds = (
            63.86
            + 0.3345 * t
            - 0.060374 * t**2
            + 0.0017275 * t**3
            + 0.000651814 * t**4
            + 0.00002373599 * t**5
        )
    elif y < 2050:
        t = y - 2000
        seconds = 62.92 + 0.32217 * t + 0.005589 * t**2
    else:
        seconds = -20 + 32 * ((y - 1820) / 100) ** 2 - 0.5628 * (2150 - y)
    return seconds / 86400


# Periodic terms of the true new moon: (coefficient, power of E, multiples of M, M', F, Omega).
_NEW_MOON_TERMS = (
    (-0.40720, 0, 0, 1, 0, 0),
    (0.17241, 1, 1, 0, 0, 0),
    (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0),
    (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0),
    (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0),
    (-0.00042, 0, 0, 3, 0, 0),
    (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0),
    (-0.00024, 1, -1, 2, 0, 0),
    (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0),
    (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0),
    (-0.00002, 0, -1, 1, -2, 0),
    (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)

# Planetary arguments (degrees: constant, rate per lunation k) and their coefficients (days).
_PLANETARY_TERMS = (
    (299.77, 0.107408, 0.000325),
    (251.88, 0.016321, 0.000165),
    (251.83, 26.651886, 0.000164),
    (349.42, 36.412478, 0.000126),
    (84.66, 18.206239, 0.000110),
    (141.74, 53.303771, 0.000062),
    (207.14, 2.453732, 0.000060),
    (154.84, 7.306860, 0.000056),
    (34.52, 27.261239, 0.000047),
    (207.19, 0.121824, 0.000042),
    (291.34, 1.844379, 0.000040),
    (161.72, 24.198154, 0.000037),
    (239.56, 25.513099, 0.000035),
    (331.55, 3.592518, 0.000023),
)


def _new_moon_jde(k: int) -> float:
    """Julian Ephemeris Day of the k-th new moon after 6 January 2000 (k may be negative)."""
    t = k / 1236.85
    jde = 2451550.09766 + _SYNODIC_MONTH * k + 0.00015437 * t**2 - 0.000000150 * t**3 + 0.00000000073 * t**4
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    sun_anomaly = (2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3) * _RAD
    moon_anomaly = (
        201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3 - 0.000000058 * t**4
    ) * _RAD
    latitude_arg = (
        160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3 + 0.000000011 * t**4
    ) * _RAD
    node = (124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3) * _RAD
    for coefficient, e_power, m, mp, f, om in _NEW_MOON_TERMS:
        angle = m * sun_anomaly + mp * moon_anomaly + f * latitude_arg + om * node
        jde += coefficient * e**e_power * math.sin(angle)
    planetary_a1 = 299.77 + 0.107408 * k - 0.009173 * t**2
    for index, (constant, rate, coefficient) in enumerate(_PLANETARY_TERMS):
        argument = planetary_a1 if index == 0 else constant + rate * k
        jde += coefficient * math.sin(argument * _RAD)
    return jde


def _new_moon_day(k: int, tz: float) -> int:
    """Julian Day Number of the local civil day on which the k-th new moon falls."""
    jde = _new_moon_jde(k)
    jd_ut = jde - _delta_t_days(jde)
    return math.floor(jd_ut + 0.5 + tz / 24)


def _sun_longitude(jd_ut: float) -> float:
    """Apparent geocentric longitude of the Sun in degrees, 0 <= value < 360."""
    jde = jd_ut + _delta_t_days(jd_ut)
    t = (jde - 2451545.0) / 36525
    mean_longitude = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    anomaly = (357.52911 + 35999.05029 * t - 0.0001537 * t**2) * _RAD
    centre = (
        (1.914602 - 0.004817 * t - 0.000014 * t**2) * math.sin(anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(2 * anomaly)
        + 0.000289 * math.sin(3 * anomaly)
    )
    node = (125.04 - 1934.136 * t) * _RAD
    apparent = mean_longitude + centre - 0.00569 - 0.00478 * math.sin(node)
    return apparent % 360
