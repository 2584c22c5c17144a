"""asmsim.cli"""
