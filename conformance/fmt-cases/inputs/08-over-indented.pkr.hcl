build {
        sources = ["a"]
            post-processor "manifest" {
      output = "x"
   }
}
