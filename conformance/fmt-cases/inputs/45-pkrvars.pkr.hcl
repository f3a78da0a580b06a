region="us-east-1"
ami_users=[ "1","2" ]
tags={
Name="x"
}
