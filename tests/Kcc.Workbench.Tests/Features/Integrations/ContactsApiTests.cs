using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Features.Integrations;

public sealed class ContactsApiTests(ContactsApiTests.Fixture fixture) : IClassFixture<ContactsApiTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public KccWebApplicationFactory Factory { get; } = new();

        public int TopicId { get; private set; }

        public async ValueTask InitializeAsync()
        {
            await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
            TopicId = await db.Topics.Where(t => t.Name == "paspoort").Select(t => t.Id).SingleAsync();
        }

        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    private HttpClient Client(string? key)
    {
        var client = fixture.Factory.CreateBrowserLikeClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    private object ValidContact(string text = "Formulier: vraag over paspoort") => new
    {
        channel = "Website",
        startedAt = DateTime.UtcNow.AddMinutes(-1),
        questions = new[] { new { topicId = fixture.TopicId, text, outcome = "DoorgezetNaarBackoffice" } },
    };

    [Fact]
    public async Task A_website_form_logs_a_contact_through_the_same_pipeline()
    {
        using var client = Client(KccWebApplicationFactory.WebsiteKey);

        var response = await client.PostAsJsonAsync("/api/v1/klantcontacten", ValidContact());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await using var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        var contact = await db.Contacts.Include(c => c.Questions).SingleAsync(c => c.Id == id);
        Assert.Equal("api:Websiteformulier", contact.AgentId);
        Assert.Equal("Websiteformulier", contact.AgentName);
        Assert.True(contact.Questions.Single().NeedsRouting);
    }

    [Fact]
    public async Task Invalid_content_gets_dutch_messages_per_field_and_nothing_is_stored()
    {
        using var client = Client(KccWebApplicationFactory.WebsiteKey);

        var response = await client.PostAsJsonAsync("/api/v1/klantcontacten", ValidContact(text: new string('x', 1001)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("hoogstens 1000 tekens", body, StringComparison.Ordinal);
        Assert.Contains("Questions[0].Text", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ dit is geen json")]
    [InlineData("{\"channel\": \"Postduif\", \"questions\": []}")]
    [InlineData("[]")]
    public async Task Malformed_json_is_a_400_with_a_dutch_title(string json)
    {
        using var client = Client(KccWebApplicationFactory.WebsiteKey);

        var response = await client.PostAsync("/api/v1/klantcontacten", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Het verzoek klopt niet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The outside test's findings: each was a 500 or silently accepted.</summary>
    [Theory]
    [InlineData("\"language\": null,", "language", "mag niet leeg (null) zijn")]
    [InlineData("\"channel\": \"Website,Balie\",", "channel", "Kies precies één van deze waarden: Telefoon, Balie")]
    [InlineData("\"channel\": 6,", "channel", "Kies precies één van deze waarden")]
    [InlineData("\"isConfidential\": true, \"isConfidential\": false,", "isConfidential", "meer dan één keer")]
    [InlineData("\"questions\": null,", "questions", "mag niet leeg (null) zijn")]
    [InlineData("\"questions\": [null],", "Questions[0]", "leeg item (null)")]
    [InlineData("\"questions\": [{\"topicId\": TOPIC, \"text\": \"Vraag\", \"outcome\": \"DoorverwezenNaarAndereOrganisatie\", \"referredTo\": \"RDW\\u0000\"}],", "Questions[0].ReferredTo", "NUL, ESC of DEL")]
    [InlineData("\"questions\": [{\"topicId\": TOPIC, \"text\": \"Vraag\", \"outcome\": \"Beantwoord\", \"unansweredSearch\": \"zoek\\u001b[2J\"}],", "Questions[0].UnansweredSearch", "NUL, ESC of DEL")]
    [InlineData("\"questions\": [{\"topicId\": TOPIC, \"outcome\": \"Beantwoord\"}],", "questions[0].text", "verplicht en ontbreekt")]
    public async Task Nulls_junk_enum_tricks_and_duplicate_members_are_a_400_naming_the_field_and_store_nothing(string members, string field, string message)
    {
        using var client = Client(KccWebApplicationFactory.WebsiteKey);
        var questions = members.Contains("\"questions\"", StringComparison.Ordinal)
            ? ""
            : $"\"questions\": [{{\"topicId\": {fixture.TopicId}, \"text\": \"Vraag over paspoort\", \"outcome\": \"Beantwoord\"}}],";
        var json = "{" + members.Replace("TOPIC", fixture.TopicId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) + questions
            + (members.Contains("\"channel\"", StringComparison.Ordinal) ? "" : "\"channel\": \"Website\",")
            + $"\"startedAt\": \"{DateTime.UtcNow.AddMinutes(-1):O}\"}}";
        await using var db = await fixture.Factory.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        var before = await db.Contacts.CountAsync();

        var response = await client.PostAsync("/api/v1/klantcontacten", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var named = Assert.Single(errors.EnumerateObject(), e => string.Equals(e.Name, field, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(message, named.Value[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await db.Contacts.CountAsync());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("verkeerde-sleutel", HttpStatusCode.Unauthorized)]
    [InlineData(KccWebApplicationFactory.ReportingKey, HttpStatusCode.Forbidden)]
    public async Task Only_a_known_key_with_an_allowed_role_may_log_contacts(string? key, HttpStatusCode expected)
    {
        using var client = Client(key);

        var response = await client.PostAsJsonAsync("/api/v1/klantcontacten", ValidContact());

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_browser_session_cannot_use_the_api()
    {
        using var client = Client(null);
        client.DefaultRequestHeaders.Add("Cookie", "kcc.auth=forged");

        var response = await client.PostAsJsonAsync("/api/v1/klantcontacten", ValidContact());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
