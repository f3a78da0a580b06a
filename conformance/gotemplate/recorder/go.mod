module recorder

go 1.19
