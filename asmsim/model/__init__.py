"""asmsim.model"""
