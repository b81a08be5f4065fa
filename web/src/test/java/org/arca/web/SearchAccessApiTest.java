package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.arca.core.Folder;
import org.arca.core.TestDatabases;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What search tells a user granted one subfolder of a collection they cannot read: their hits, and nothing
 * about the collection above (its id, its name, its other folders), whichever way they ask.
 */
class SearchAccessApiTest {
    static TestServer server;
    static HttpTestClient aliceHttp;
    static HttpTestClient bobHttp;
    static Folder collection;
    static Folder site;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.H2);
        var repo = server.repo();
        Caller alice = server.user("alice");
        server.user("bob");
        aliceHttp = server.as("alice");
        bobHttp = server.as("bob");
        collection = repo.folders().createCollection(alice, "Oncology Zebrafish Trial", null);
        site = repo.folders().create(alice, collection.id(), "Visible Site", null);
        Folder deeper = repo.folders().create(alice, site.id(), "Deeper", null);
        Folder hidden = repo.folders().create(alice, collection.id(), "Secret Arm", null);
        repo.access().setAcl(alice, site.id(), List.of(new AclEntry("user:bob", AccessLevel.READ)));
        upload(alice, site, "scan notes.txt");
        upload(alice, deeper, "follow up.txt");
        upload(alice, hidden, "arm list.txt");
        repo.searchIndex().awaitQueued();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void upload(Caller caller, Folder folder, String name) {
        byte[] bytes = "plain words".getBytes(StandardCharsets.UTF_8);
        server.repo().items().upload(caller, folder.id(), name, "text/plain", new ByteArrayInputStream(bytes), bytes.length, false);
    }

    static JsonNode search(HttpTestClient client, String query) {
        HttpTestClient.Response response = client.get("/api/v1/search?" + query);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    static List<String> names(JsonNode result) {
        List<String> names = new ArrayList<>();
        result.get("hits").forEach(h -> names.add(h.get("name").asText()));
        return names;
    }

    @Test
    void theCollectionFacetAndFilterNameOnlyReadableCollections() {
        HttpTestClient.Response everything = bobHttp.get("/api/v1/search?q=");
        assertThat(names(everything.json())).containsExactlyInAnyOrder("Visible Site", "Deeper", "scan notes.txt", "follow up.txt");
        assertThat(everything.json().get("facets").get("collection")).isEmpty();
        assertThat(everything.text()).doesNotContain(collection.id());

        JsonNode unreadable = search(bobHttp, "collection=" + collection.id());
        JsonNode unknown = search(bobHttp, "collection=no-such-collection");
        assertThat(unreadable.get("total").asInt()).isZero();
        assertThat(unreadable.toString()).isEqualTo(unknown.toString());

        JsonNode owners = search(aliceHttp, "collection=" + collection.id());
        assertThat(owners.get("total").asInt()).isEqualTo(7);
        assertThat(owners.get("facets").get("collection").get(0).get("label").asText()).isEqualTo("Oncology Zebrafish Trial");
        assertThat(owners.get("facets").get("collection").get(0).get("value").asText()).isEqualTo(collection.id());
    }

    @Test
    void aFolderSeenThroughASubfolderGrantNamesNoHiddenFolderAbove() {
        JsonNode forBob = bobHttp.get("/api/v1/folders/" + site.id()).json();
        assertThat(forBob.get("ancestors")).isEmpty();
        // Absent or null, as the JSON writer leaves nulls out.
        assertThat(forBob.path("parentId").asText(null)).as(forBob.toString()).isNull();
        assertThat(forBob.path("collectionId").asText(null)).isNull();
        assertThat(forBob.toString()).doesNotContain(collection.id());
        JsonNode forAlice = aliceHttp.get("/api/v1/folders/" + site.id()).json();
        assertThat(forAlice.get("parentId").asText()).isEqualTo(collection.id());
        assertThat(forAlice.get("collectionId").asText()).isEqualTo(collection.id());
    }

    @Test
    void fieldsHoldingFolderIdsAreRefusedByName() {
        for (String field : List.of("ancestor", "collection", "folder", "id", "$facets")) {
            HttpTestClient.Response refused = bobHttp.get("/api/v1/search?q=" + url(field + ":" + collection.id()));
            assertThat(refused.status()).as(field).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_query");
            assertThat(refused.json().get("message").asText()).contains("\"" + field + "\"");
            // Nested in a group or behind OR, the field is found all the same.
            HttpTestClient.Response nested = bobHttp.get("/api/v1/search?q="
                    + url("notes OR (scan AND " + field + ":x)"));
            assertThat(nested.status()).as(field).isEqualTo(400);
        }
        assertThat(search(bobHttp, "q=" + url("name:notes")).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void pathWordsMatchOnlyFolderNamesTheCallerMaySee() {
        // The collection's name is a word of every path below it; Bob cannot read it, so it finds nothing.
        for (String query : List.of("oncology", "zebrafish", "path:zebrafish", "\"zebrafish trial\"", "zebra*",
                "path:oncology AND scan", "zebrafish OR nothingatall", "trial notes", "name:zebrafish", "secret", "path:arm")) {
            JsonNode found = search(bobHttp, "q=" + url(query));
            assertThat(found.get("total").asInt()).as(query).isZero();
        }
        // Names at or below his grant are his to search: his folder's, and the folders below it.
        assertThat(names(search(bobHttp, "q=visible"))).containsExactlyInAnyOrder("Visible Site", "Deeper", "scan notes.txt",
                "follow up.txt");
        assertThat(names(search(bobHttp, "q=" + url("path:deeper")))).containsExactlyInAnyOrder("Deeper", "follow up.txt");
        assertThat(names(search(bobHttp, "q=" + url("site AND follow")))).containsExactly("follow up.txt");
        assertThat(names(search(bobHttp, "q=" + url("visible -deeper")))).containsExactlyInAnyOrder("Visible Site", "scan notes.txt");
        assertThat(names(search(bobHttp, "q=" + url("\"visible site\" notes")))).containsExactly("scan notes.txt");
        // The owner, who reads the collection, finds everything under it by its name.
        JsonNode owners = search(aliceHttp, "q=zebrafish");
        assertThat(names(owners)).containsExactlyInAnyOrder("Oncology Zebrafish Trial", "Visible Site", "Deeper", "Secret Arm",
                "scan notes.txt", "follow up.txt", "arm list.txt");
        assertThat(names(search(aliceHttp, "q=" + url("path:arm")))).containsExactlyInAnyOrder("Secret Arm", "arm list.txt");
    }

    static String url(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
