"""asmsim.run"""
