"""SNMP discovery: the transport (pysnmp, imported in client.py only), walks, parsers."""
