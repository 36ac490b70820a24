import AuditOIDC
import Testing

@Suite struct AdminPolicyTests {
    let policy = AdminPolicy(admins: ["Ada", "grace"], adminOrgs: ["Acme", "beta"])

    func user(_ name: String?, _ orgs: [(String, String?)] = []) -> SignedInUser {
        SignedInUser(sub: "s", username: name, name: nil, orgs: orgs.map { .init(name: $0.0, role: $0.1) }, scopesGranted: [])
    }

    @Test func listedAdminsSeeEverythingCaseInsensitively() throws {
        #expect(policy.decide(user("ada")) == AdminDecision(isAdminAll: true, visibleOrgs: []))
        #expect(policy.decide(user("GRACE")).isAdminAll)
        #expect(try policy.authorize(user("Ada")).isAdminAll)
    }

    @Test func orgAdminsAndWritersSeeTheirOrgs() {
        let decision = policy.decide(user("bob", [("acme", "admin"), ("Beta", "WRITE"), ("other", "admin")]))
        #expect(decision == AdminDecision(isAdminAll: false, visibleOrgs: ["Beta", "acme"]))
        #expect(decision.isAuthorized)
    }

    @Test func readersContributorsAndUngrantedOrgsDoNot() {
        for orgs in [[("acme", "read")], [("acme", "contributor")], [("acme", nil)], [("acme-evil", "admin")]] as [[(String, String?)]] {
            #expect(!policy.decide(user("bob", orgs)).isAuthorized)
        }
        #expect(!policy.decide(user(nil)).isAuthorized)
        #expect(!policy.decide(user("ada-lovelace")).isAuthorized)
        #expect(throws: OIDCError(.notAuthorized)) { try policy.authorize(user("bob", [("acme", "read")])) }
    }

    @Test func emptyPolicyAuthorizesNobody() {
        #expect(!AdminPolicy(admins: [], adminOrgs: []).decide(user("ada", [("acme", "admin")])).isAuthorized)
    }
}
