a = 1+2
b = 3 *4/ 5%6
c = x==y
d = x!=y&&z||w
e = x>=1 ? 2:3
f = x<y
g = x<=y
h = x>y
