locals {
  v = merge(
    var.a,
    {
      x = 1
    }
  )
  w = concat( [1],[2] )
}
