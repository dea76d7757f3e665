package io.corral.panel.apiclient;

import io.corral.panel.tenant.Tenant;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A tenant's API client: Keycloak holds its credentials, this row its tenant and whether it still counts. */
@Entity
@Table(name = "api_client")
public class ApiClient extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(optional = false)
    public Tenant tenant;
    public String clientId;
    public String name;
    public String createdBy;
    public OffsetDateTime createdAt;
    public OffsetDateTime revokedAt;
}
