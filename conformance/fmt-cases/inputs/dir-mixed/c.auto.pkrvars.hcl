r ="y"
