"""Keys, tokens and who may do what: credential encryption and client secrets, signed bearer tokens,
request authentication and the tenant rules that decide what a caller can reach."""
