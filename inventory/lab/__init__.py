"""The simulated estate: snmpsim agents on loopback addresses, for the demo and the tests."""
