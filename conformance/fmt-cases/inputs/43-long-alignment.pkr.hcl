short = 1
a_very_long_attribute_name_here = 2
mid = 3
