import AuditCore
import Foundation

/// Calls the userinfo endpoint with the access token as Bearer. HF puts `orgs` (with each org's
/// `roleInOrg`) only here, not in the ID token (hf-oauth.md §9).
public struct UserInfoClient: Sendable {
    private let http: any HTTPClient
    public let timeout: TimeInterval

    public init(http: any HTTPClient, timeout: TimeInterval = 10) {
        self.http = http
        self.timeout = timeout
    }

    public func fetch(accessToken: String, endpoint: URL) throws(OIDCError) -> UserInfo {
        let request = OutboundRequest(
            url: endpoint, headers: ["Authorization": "Bearer " + accessToken, "Accept": "application/json"],
            timeout: timeout, followRedirects: false)
        let response: OutboundResponse
        do {
            response = try http.send(request)
        } catch {
            throw OIDCError(.userinfoFailed, detail: "userinfo: \(error)")
        }
        guard response.isSuccess else { throw OIDCError(.userinfoFailed, detail: "userinfo answered HTTP \(response.status)") }
        guard let json = JSONValue.object(from: response.body) else {
            throw OIDCError(.userinfoFailed, detail: "userinfo is not a JSON object (a signed userinfo JWT is not supported)")
        }
        guard let sub = json["sub"]?.string, !sub.isEmpty else { throw OIDCError(.userinfoFailed, detail: "userinfo lacks sub") }
        // Orgs are parsed leniently: a missing or odd field drops that field, not the sign-in.
        let orgs = (json["orgs"]?.array ?? []).compactMap(\.object).map { org in
            UserInfo.Org(
                sub: org["sub"]?.string, name: org["name"]?.string,
                preferredUsername: org["preferred_username"]?.string, roleInOrg: org["roleInOrg"]?.string)
        }
        return UserInfo(
            sub: sub, preferredUsername: json["preferred_username"]?.string, name: json["name"]?.string, orgs: orgs)
    }
}

/// The userinfo fields SpaceAudit uses (hf-oauth.md §9.2).
public struct UserInfo: Sendable, Equatable {
    public struct Org: Sendable, Equatable {
        public let sub: String?
        public let name: String?
        /// The org's handle: what `hf_oauth_authorized_org` and SPACEAUDIT_ADMIN_ORGS name.
        public let preferredUsername: String?
        /// `admin`, `write`, `read`, `contributor`; absent when the user did not grant the org.
        public let roleInOrg: String?

        public init(sub: String?, name: String?, preferredUsername: String?, roleInOrg: String?) {
            self.sub = sub
            self.name = name
            self.preferredUsername = preferredUsername
            self.roleInOrg = roleInOrg
        }
    }

    public let sub: String
    public let preferredUsername: String?
    public let name: String?
    public let orgs: [Org]

    public init(sub: String, preferredUsername: String?, name: String?, orgs: [Org]) {
        self.sub = sub
        self.preferredUsername = preferredUsername
        self.name = name
        self.orgs = orgs
    }
}
