//! The integrations of the requirements inventory: each an ordered walk
//! across console pages, with the requirement ids checked on each page for
//! that integration.

use super::{AuthType, Integration, Step};

pub static INTEGRATIONS: &[Integration] = &[
    Integration {
        id: "okta-salesforce-provisioning",
        title: "Okta → Salesforce provisioning (OAuth)",
        blurb: "Creates a Salesforce External Client App for Okta (or uses an existing connected app) and gives its \
                consumer key and secret to Okta's Salesforce app, so Okta can provision users over the REST API.",
        steps: &[
            Step {
                page: "salesforce.connected_app.edit",
                requirements: &[
                    "sf.create.where",
                    "sf.prereq.admin_account",
                    "sf.prereq.custom_profile",
                    "sf.app.name",
                    "sf.app.contact_email",
                    "sf.oauth.enabled",
                    "sf.oauth.device_flow_off",
                    "sf.oauth.callback_url",
                    "sf.oauth.digital_signatures_off",
                    "sf.oauth.scope_api",
                    "sf.oauth.scope_refresh",
                    "sf.oauth.pkce_off",
                    "sf.oauth.secret_web_server_on",
                    "sf.oauth.secret_refresh_on",
                    "sf.oauth.client_credentials_off",
                    "sf.oauth.introspect_off",
                    "sf.oauth.id_token_off",
                    "sf.oauth.asset_tokens_off",
                    "sf.oauth.single_logout_off",
                    "sf.oauth.propagation_wait",
                ],
            },
            Step {
                page: "salesforce.connected_app.consumer_details",
                requirements: &["sf.consumer.verify_identity", "sf.consumer.key", "sf.consumer.secret"],
            },
            Step {
                page: "salesforce.connected_app.policies",
                requirements: &["sf.policy.permitted_users", "sf.policy.refresh_token"],
            },
            // The other route (catalog::routes): External Client Apps, the
            // default for new setups (new connected apps can no longer be created).
            Step {
                page: "salesforce.external_client_app.settings",
                requirements: &[
                    "sf.create.where",
                    "sf.prereq.admin_account",
                    "sf.prereq.custom_profile",
                    "sf.app.name",
                    "sf.app.contact_email",
                    "sf.oauth.enabled",
                    "sf.oauth.device_flow_off",
                    "sf.oauth.callback_url",
                    "sf.oauth.scope_api",
                    "sf.oauth.scope_refresh",
                    "sf.eca.pkce_on",
                    "sf.oauth.secret_web_server_on",
                    "sf.oauth.secret_refresh_on",
                    "sf.eca.refresh_rotation_on",
                    "sf.oauth.client_credentials_off",
                    "sf.oauth.propagation_wait",
                ],
            },
            Step {
                page: "salesforce.external_client_app.policies",
                requirements: &[
                    "sf.policy.permitted_users",
                    "sf.policy.refresh_token",
                    "sf.oauth.client_credentials_off",
                ],
            },
            Step {
                page: "salesforce.external_client_app.consumer_details",
                requirements: &["sf.eca.identity_check", "sf.eca.consumer_key_shown", "sf.eca.consumer_secret_shown"],
            },
            Step {
                page: "okta.salesforce.provisioning",
                requirements: &[
                    "okta.sfprov.consumer_key",
                    "okta.sfprov.consumer_secret",
                    "okta.sfprov.authenticate",
                    "okta.sfprov.soap_retired",
                    "okta.sfprov.soap_variant",
                    "okta.sfprov.soap_note",
                ],
            },
        ],
        auth_type: None,
    },
    Integration {
        id: "workato-okta-auth-code",
        title: "Workato → Okta (authorization code)",
        blurb: "Creates an Okta OIDC web app for Workato, grants it the Okta API scopes it needs and connects \
                Workato's Okta connector with its client ID and secret.",
        steps: &[
            Step {
                page: "okta.app.create_dialog",
                requirements: &["okta.wizard.sign_in_method_oidc", "okta.wizard.app_type_web"],
            },
            Step {
                page: "okta.app.wizard_web",
                requirements: &[
                    "okta.wizard.name",
                    "okta.wizard.dpop_off",
                    "okta.wizard.grant_auth_code",
                    "okta.wizard.grant_refresh",
                    "okta.wizard.redirect_uri",
                    "okta.wizard.assignment",
                ],
            },
            Step {
                page: "okta.app.general",
                requirements: &["okta.general.client_id", "okta.general.client_secret", "okta.general.dpop_off"],
            },
            Step {
                page: "okta.app.api_scopes",
                requirements: &[
                    "okta.scopes.logs_read",
                    "okta.scopes.schemas_read",
                    "okta.scopes.users_read_custom_role",
                    "okta.scopes.auto_granted",
                ],
            },
            Step {
                page: "workato.connection.new",
                requirements: &[
                    "wk.conn.name",
                    "wk.conn.location",
                    "wk.conn.auth_type",
                    "wk.conn.domain",
                    "wk.conn.client_id",
                    "wk.conn.client_secret",
                    "wk.conn.scopes",
                ],
            },
        ],
        auth_type: Some(AuthType::AuthCode),
    },
    Integration {
        id: "workato-okta-client-credentials",
        title: "Workato → Okta (client credentials)",
        blurb: "Creates an Okta API Services app with a generated key pair, grants it scopes and an admin role, \
                and connects Workato's Okta connector with the client ID and private key.",
        steps: &[
            Step { page: "okta.app.create_dialog", requirements: &["okta.wizard.sign_in_method_api_services"] },
            Step { page: "okta.app.wizard_service", requirements: &["okta.service.name"] },
            Step {
                page: "okta.app.general",
                requirements: &[
                    "okta.general.client_id",
                    "okta.general.client_auth_key",
                    "okta.general.key_generated",
                    "okta.general.key_saved_active",
                    "okta.general.dpop_off",
                ],
            },
            Step {
                page: "okta.app.api_scopes",
                requirements: &[
                    "okta.scopes.logs_read",
                    "okta.scopes.schemas_read",
                    "okta.scopes.users_read_custom_role",
                ],
            },
            Step { page: "okta.app.admin_roles", requirements: &["okta.roles.read_only_admin"] },
            Step {
                page: "workato.connection.new",
                requirements: &[
                    "wk.conn.name",
                    "wk.conn.location",
                    "wk.conn.auth_type_cc",
                    "wk.conn.domain",
                    "wk.conn.client_id",
                    "wk.conn.private_key",
                    "wk.conn.scopes_cc",
                ],
            },
        ],
        auth_type: Some(AuthType::ClientCredentials),
    },
    Integration {
        id: "workato-okta-api-key",
        title: "Workato → Okta (API key)",
        blurb: "Creates an Okta API token and connects Workato's Okta connector with it (simplest, but the token \
                carries all of its creator's admin rights).",
        steps: &[
            Step { page: "okta.api.tokens", requirements: &["okta.token.admin_role", "okta.token.created"] },
            Step {
                page: "workato.connection.new",
                requirements: &["wk.conn.name", "wk.conn.auth_type_key", "wk.conn.domain", "wk.conn.api_key"],
            },
        ],
        auth_type: Some(AuthType::ApiKey),
    },
    Integration {
        id: "workflows-okta",
        title: "Okta Workflows → Okta",
        blurb: "Authorizes Okta Workflows' Okta connector with the client ID and secret of the built-in Okta \
                Workflows OAuth app.",
        steps: &[
            Step { page: "okta.app.sign_on", requirements: &["okta.signon.client_id", "okta.signon.client_secret"] },
            Step {
                page: "workflows.connection.new",
                requirements: &[
                    "wf.order.okta_first",
                    "wfd.reauth_roles",
                    "wf.conn.nickname",
                    "wf.conn.domain",
                    "wf.conn.client_id",
                    "wf.conn.client_secret",
                ],
            },
        ],
        auth_type: None,
    },
    Integration {
        id: "workflows-okta-devices",
        title: "Okta Workflows → Okta Devices",
        blurb: "Grants the Okta Workflows OAuth app the device scope and authorizes Workflows' Okta Devices \
                connector with that app's client ID and secret.",
        steps: &[
            Step {
                page: "okta.app.sign_on",
                requirements: &[
                    "wfd.super_admin",
                    "wfd.reauth_roles",
                    "okta.signon.client_id",
                    "okta.signon.client_secret",
                ],
            },
            Step { page: "okta.app.api_scopes", requirements: &["okta.scopes.devices_manage"] },
            Step {
                page: "workflows.connection.new",
                requirements: &[
                    "wfd.reauthorize",
                    "wfd.reauth_roles",
                    "wf.conn.connector_okta_devices",
                    "wf.conn.nickname",
                    "wf.conn.domain",
                    "wf.conn.client_id",
                    "wf.conn.client_secret",
                ],
            },
        ],
        auth_type: None,
    },
];
