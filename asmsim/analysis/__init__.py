"""asmsim.analysis"""
