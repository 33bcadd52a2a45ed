"""Import and export of departments, assets and staff as CSV and XLSX."""
