sorted(d, key=d.get, reverse=True)
