"""asmsim.present"""
