a = var . x
b = local.m . k
c = data.amazon-ami.x.id
d = source.amazon-ebs.x
