a = "%{ if x }yes%{ else }no%{ endif }"
b = "%{~ if x ~}y%{~ endif ~}"
c = "${~ x ~}"
