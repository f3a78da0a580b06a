region="x"
