package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.arca.core.Notifications;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The submitter of a model is notified in the portal: curators hear of a submission, the submitter of the
 * review, each in their own inbox, which nobody else reads.
 */
class ModelReviewNotificationsTest {
    static TestRepository test;
    static AiRuntime ai;
    static Caller submitter;
    static Caller bystander;
    static Caller curator;
    static Caller admin;

    @BeforeAll
    static void open() {
        test = AiTestRepositories.open(TestDatabases.Kind.H2);
        ai = new AiRuntime(test.repo(), AiSettings.defaults(test.dataDir()));
        submitter = test.user("sam");
        bystander = test.user("bea");
        curator = test.user("cora", Role.CURATOR);
        admin = test.user("ada", Role.ADMIN, Role.CURATOR);
    }

    @AfterAll
    static void close() {
        ai.close();
        test.close();
    }

    static void submit(Caller caller, String name, String version) {
        byte[] zip = ModelZips.zip(ModelZips.boxFilterManifest(name, version, "CT", 60), OnnxGraphs.boxFilter());
        ai.models().submit(caller, new ByteArrayInputStream(zip), zip.length);
    }

    static List<String> messages(Caller caller) {
        return test.repo().notifications().inbox(caller, false, 50).notifications().stream()
                .map(Notifications.Notification::message).toList();
    }

    @Test
    void curatorsHearOfASubmissionAndTheSubmitterOfItsReview() {
        submit(submitter, "lungs", "1.0");
        assertThat(messages(curator)).filteredOn(m -> m.contains("lungs")).containsExactly("sam submitted model lungs 1.0 for review.");
        // An admin who is also a curator is told once, not once per role.
        assertThat(messages(admin)).filteredOn(m -> m.contains("lungs")).containsExactly("sam submitted model lungs 1.0 for review.");
        assertThat(messages(submitter)).isEmpty();

        ai.models().reject(curator, "lungs", "1.0", "The licence field is empty.");
        Notifications.Inbox inbox = test.repo().notifications().inbox(submitter, true, 50);
        assertThat(inbox.unread()).isEqualTo(1);
        assertThat(inbox.notifications()).singleElement().satisfies(n -> {
            assertThat(n.message()).isEqualTo("Your model lungs 1.0 was rejected by cora: The licence field is empty.");
            assertThat(n.kind()).isEqualTo("ai.model.reject");
            assertThat(n.link()).isEqualTo("#/ai");
            assertThat(n.readAt()).isNull();
        });
        assertThat(messages(bystander)).isEmpty();

        submit(submitter, "lungs", "1.1");
        ai.models().approve(curator, "lungs", "1.1");
        assertThat(messages(submitter)).containsExactly("Your model lungs 1.1 was approved by cora.",
                "Your model lungs 1.0 was rejected by cora: The licence field is empty.");
        assertThat(test.repo().notifications().inbox(submitter, false, 50).unread()).isEqualTo(2);
    }

    @Test
    void aUserMarksOnlyTheirOwnMessagesRead() {
        submit(bystander, "liver", "1.0");
        String others = test.repo().notifications().inbox(curator, true, 1).notifications().getFirst().id();
        // Someone else's id changes nothing.
        assertThat(test.repo().notifications().markRead(bystander, List.of(others))).isZero();
        assertThat(test.repo().notifications().inbox(curator, true, 50).notifications())
                .extracting(Notifications.Notification::id).contains(others);

        int before = test.repo().notifications().inbox(curator, true, 50).unread();
        assertThat(test.repo().notifications().markRead(curator, List.of(others))).isEqualTo(1);
        assertThat(test.repo().notifications().inbox(curator, true, 50).unread()).isEqualTo(before - 1);
        assertThat(test.repo().notifications().markRead(curator, List.of())).isEqualTo(before - 1);
        Notifications.Inbox after = test.repo().notifications().inbox(curator, false, 50);
        assertThat(after.unread()).isZero();
        assertThat(after.notifications()).allSatisfy(n -> assertThat(n.readAt()).isNotNull());
    }
}
