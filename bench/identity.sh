# Sourced by bench/panel.sh: Keycloak with the Corral realm as run.sh starts it, a bench client with the
# panel's own token mappers (audience, tenant claim) whose users sign in with a password grant, and
# tokens for a customer of tenant t1 and for the admin (corral-automation's client credentials).
# Everything is on loopback with the bench's own throwaway secrets.
kc_port=18180 kc="http://localhost:18180"
kc_admin_password=bench-keycloak-admin-0123456789 panel_client_secret=bench-panel-client-secret-0123456789
automation_secret=bench-automation-secret-0123456789

start_keycloak() { # HOME LOG
  KC_BOOTSTRAP_ADMIN_USERNAME=kcadmin KC_BOOTSTRAP_ADMIN_PASSWORD="$kc_admin_password" \
    CORRAL_PANEL_URL="http://localhost:$port" CORRAL_PANEL_CLIENT_SECRET="$panel_client_secret" \
    CORRAL_BILLING_CLIENT_SECRET=bench-billing-secret-0123456789 CORRAL_AUTOMATION_CLIENT_SECRET="$automation_secret" \
    scripts/keycloak run "$1" "$kc_port" >"$2" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do curl -sf "$kc/realms/corral/.well-known/openid-configuration" >/dev/null && return; sleep 1; done
  echo "Keycloak did not start; see $2" >&2; exit 1
}

kc_admin() { # curl arguments, against the realm's admin API
  local token
  token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=kcadmin -d "password=$kc_admin_password" \
    "$kc/realms/master/protocol/openid-connect/token" | jq -r .access_token)
  curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"
}

# The bench's customer: bench-c1 in the group /tenants/t1, which puts "t1" in its tokens' tenant claim.
add_bench_customer() {
  local realm="$kc/admin/realms/corral" mappers tenants
  mappers=$(kc_admin "$realm/clients?clientId=corral-panel" | jq '[.[0].protocolMappers[] | {name, protocol, protocolMapper, config}]')
  kc_admin -o /dev/null -X POST "$realm/clients" -d "$(jq -n --argjson m "$mappers" \
    '{clientId: "corral-bench", publicClient: true, directAccessGrantsEnabled: true, standardFlowEnabled: false, protocolMappers: $m}')"
  tenants=$(kc_admin "$realm/groups?search=tenants&exact=true" | jq -r '.[] | select(.name == "tenants") | .id')
  kc_admin -o /dev/null -X POST "$realm/groups/$tenants/children" -d '{"name": "t1"}'
  kc_admin -o /dev/null -X POST "$realm/users" -d '{"username": "bench-c1", "email": "c1@bench.test", "emailVerified": true, "enabled": true,
    "firstName": "Bench", "lastName": "Customer", "groups": ["/tenants/t1"],
    "credentials": [{"type": "password", "value": "bench-c1-password", "temporary": false}]}'
}

customer_token() {
  curl -sf -d grant_type=password -d client_id=corral-bench -d username=bench-c1 -d password=bench-c1-password \
    "$kc/realms/corral/protocol/openid-connect/token" | jq -r .access_token
}

admin_token() {
  curl -sf -d grant_type=client_credentials -d client_id=corral-automation -d "client_secret=$automation_secret" \
    "$kc/realms/corral/protocol/openid-connect/token" | jq -r .access_token
}

# The bench's admin for the pages (the API's admin is the automation client): bench-admin, realm role admin.
add_bench_admin() {
  local realm="$kc/admin/realms/corral" id
  kc_admin -o /dev/null -X POST "$realm/users" -d '{"username": "bench-admin", "email": "admin@bench.test", "emailVerified": true,
    "enabled": true, "firstName": "Bench", "lastName": "Admin",
    "credentials": [{"type": "password", "value": "bench-admin-password", "temporary": false}]}'
  id=$(kc_admin "$realm/users?username=bench-admin&exact=true" | jq -r '.[0].id')
  kc_admin -o /dev/null -X POST "$realm/users/$id/role-mappings/realm" -d "[$(kc_admin "$realm/roles/admin")]"
}

sign_in() { # JAR URL USER PASSWORD: signs in at the page as a browser does (Keycloak's form), the session in the cookie jar
  local jar=$1 form action
  form=$(curl -sf -c "$jar" -b "$jar" -L "$2")
  action=$(grep -o 'action="[^"]*"' <<<"$form" | head -1 | sed 's/^action="//; s/"$//; s/&amp;/\&/g')
  curl -sf -c "$jar" -b "$jar" -L -o /dev/null --data-urlencode "username=$3" --data-urlencode "password=$4" "$action"
}
