"""Tests of the organizations API (/api/organizations/)."""
