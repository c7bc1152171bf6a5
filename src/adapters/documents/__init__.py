"""Printed documents (LOG-1): packing slips and waybill labels as PDF."""
