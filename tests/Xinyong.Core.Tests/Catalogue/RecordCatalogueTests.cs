using Xinyong.Core.Catalogue;

namespace Xinyong.Core.Tests.Catalogue;

public sealed class RecordCatalogueTests
{
    [Fact]
    public void LoadDefault_ShipsPenaltyAndLicenceWithNationalFieldNames()
    {
        var catalogue = RecordCatalogue.LoadDefault();
        var penalty = catalogue["penalty"];
        var licence = catalogue["licence"];

        penalty.Fields.Select(f => f.Name).ShouldContain("CF_WSH");
        penalty.Field("CF_NR_FK").Unit.ShouldBe("万元");
        penalty.Field("CF_CFLB").Values!.Keys.ShouldContain("没收违法所得");
        penalty.BusinessKey.ShouldBe(["CF_WSH", "CF_CFJGDM|CF_CFJG"]);
        licence.Field("XK_XKLB").Values!["普通"].ShouldContain("01");
        licence.PublicationDeadlineWorkingDays.ShouldBe(7);
    }

    [Fact]
    public void Serialize_RoundTripsAnEntry()
    {
        var penalty = RecordCatalogue.LoadDefault()["penalty"];
        var again = RecordCatalogue.Parse(RecordCatalogue.Serialize(penalty));
        again.Fields.Count.ShouldBe(penalty.Fields.Count);
        again.Rules.Count.ShouldBe(penalty.Rules.Count);
        again.Rules[0].Contains.ShouldBe("罚款");
    }

    [Fact]
    public void Parse_EntryReferencingUnknownField_IsRefusedAtLoad()
    {
        const string json = """
        { "code": "x", "nameZh": "x", "nameEn": "x", "nationalCategory": "x", "businessKey": ["A"], "decisionDate": "D", "decisionNumber": "A",
          "authority": { "name": "A", "code": "A" },
          "subject": { "name": "A", "kind": "A", "creditCode": "A", "idType": "A", "idNumber": "A", "legalRepresentative": "A" },
          "fields": [ { "name": "A", "labelZh": "a", "labelEn": "a" } ] }
        """;
        Should.Throw<InvalidDataException>(() => RecordCatalogue.Parse(json)).Message.ShouldContain("D");
    }
}
