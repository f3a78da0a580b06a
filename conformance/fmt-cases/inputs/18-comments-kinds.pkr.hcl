# hash
// slashes
/* block */
/*
  multi
  line
*/
a = 1 # trailing hash
bb = 2 // trailing slashes
ccc = 3 /* trailing block */
