a = /* inline */ 1
b /* c */ = 2
