"""asmsim.results"""
