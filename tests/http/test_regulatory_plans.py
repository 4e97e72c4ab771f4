"""The regulatory plans a user reads, over real gunicorn: the US route by submission type (510(k) exempt,
PMA), IVDs under the IVDR and the IVD Act, and AI software with a PCCP and the EU AI Act; in English and
Korean, with the offline and the Anthropic engine agreeing on every cited activity."""
from __future__ import annotations

import pytest
import requests

from medreg.knowledge.catalogue.shipped import load_catalogue

CATALOGUE = load_catalogue()
AI_CONCEPTS = {"en": "AI ECG arrhythmia detection software that keeps learning from new recordings",
               "ko": "새 심전도 기록으로 계속 학습하는 인공지능 부정맥 분석 소프트웨어"}


def _post(url: str, path: str, body: dict) -> dict:
    response = requests.post(url + path, json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def _flow(url: str, concept: str) -> tuple[dict, dict[str, dict]]:
    classification = _post(url, "/api/classify", {"concept": concept})
    plans = _post(url, "/api/standards", {"classification": classification})["plans"]
    return classification, {p["id"]: p for p in plans}


def _cites(plans: dict[str, dict]) -> set[str]:
    return {a["citation"] for p in plans.values() for a in p["activities"] if a.get("citation")}


@pytest.mark.parametrize("concept, language", [("tongue depressor", "en"), ("혀 누르개", "ko"), ("Kelly hemostat", "en")])
def test_exempt_class_i_code_plans_registration_and_the_exemption_limits_not_a_510k(live_server, concept, language):
    """A 510(k)-exempt class I code: no 510(k) in any plan, registration and listing (21 CFR part 807) and the
    panel's limitations of exemptions (21 CFR 8xx.9); a GMP-exempt code says so in the QMS plan, cited."""
    classification, plans = _flow(live_server, concept)
    us = classification["markets"]["US"]
    entry = CATALOGUE.fda[us["product_code"]]
    assert (us["class"], entry["class"], entry["submission"]) == ("I", "1", "510(k) exempt")
    premarket = plans["plan-us-premarket"]
    part = entry["regulation"].split(".")[0]
    assert _cites({"x": premarket}) == {f"21 CFR {part}.9", "21 CFR 807.20"}
    assert not {"21 CFR 807.87", "21 CFR 807.81(a)"} & _cites(plans)
    assert ("510(k)를 계획하지 않습니다" if language == "ko" else "no 510(k) is planned") in premarket["rationale"]
    limits = next(a for a in premarket["activities"] if a["citation"] == f"21 CFR {part}.9")
    assert ("면제의 한계" if language == "ko" else "limitations of the 510(k) exemption") in limits["name"]
    gmp = [a for a in plans["plan-quality-system"]["activities"] if a.get("citation") == f"21 CFR {entry['regulation']}"]
    assert len(gmp) == (1 if entry.get("gmp_exempt") else 0)
    if gmp and "820.198" in CATALOGUE.regulations[entry["regulation"]].get("classification", ""):
        assert "§ 820.198" in gmp[0]["name"] and ("면제" if language == "ko" else "exempt") in gmp[0]["name"]


@pytest.mark.parametrize("concept, language", [("implantable cardiac pacemaker", "en"), ("이식형 심장 박동기", "ko")])
def test_pma_class_iii_code_plans_the_pma(live_server, concept, language):
    """A PMA class III code: application, nonclinical and clinical sections, supplements and periodic reports (part 814)."""
    classification, plans = _flow(live_server, concept)
    us = classification["markets"]["US"]
    assert us["class"] == "III" and CATALOGUE.fda[us["product_code"]]["submission"] == "PMA"
    premarket = plans["plan-us-premarket"]
    assert {"21 CFR 814.20", "21 CFR 814.20(b)(6)(i)", "21 CFR 814.20(b)(6)(ii)", "21 CFR 814.39",
            "21 CFR 814.84"} <= _cites({"x": premarket})
    assert "21 CFR 807.87" not in _cites(plans)
    supplement = next(a for a in premarket["activities"] if a["citation"] == "21 CFR 814.39")
    assert ("PMA 보완 신청" if language == "ko" else "PMA supplement") in supplement["name"]
    assert premarket["markets"] == ["US"] and set(premarket["depends_on"]) >= {"plan-clinical-evaluation"}


@pytest.mark.parametrize("concept, language", [("HIV self-test", "en"), ("자가검사용 HIV 진단키트", "ko")])
def test_ivd_self_test_is_planned_under_the_ivdr_and_the_ivd_act(live_server, concept, language):
    """An HIV self-test: IVDR class D (Annex VIII Rule 1), performance evaluation (Article 56) instead of MDR clinical
    evaluation, the notified body under IVDR Article 48, the self-testing aspects; in Korea the IVD Act."""
    classification, plans = _flow(live_server, concept)
    eu = classification["markets"]["EU"]
    assert (eu["regulation"], eu["class"]) == ("IVDR", "D") and "IVDR Annex VIII Rule 1" in eu["citations"]
    clinical = " ".join(a["name"] for a in plans["plan-clinical-evaluation"]["activities"])
    assert ("IVDR 제56조" if language == "ko" else "IVDR Article 56") in clinical
    assert "MDR" not in clinical.replace("IVDR", "")
    cites = _cites(plans)
    assert {"IVDR Article 48", "IVDR Annex XIII Part B", "IVDR Article 29", "IVDR Annex IX section 5.1"} <= cites
    kr = classification["markets"]["KR"]
    assert kr["grade"] == 4 and CATALOGUE.mfds[kr["item_code"]].get("ivd") is True
    assert kr["regulation"] == "체외진단의료기기법" and kr["ivd"] is True and kr["pathway_verified"] is False
    assert f"체외진단의료기기 품목 및 품목별 등급에 관한 규정 {kr['item_code']}" in kr["citations"]
    assert "의료기기법 시행규칙 제4조" not in kr["citations"]
    assert ("체외진단의료기기법" in kr["rationale"]) and (("4등급" if language == "ko" else "grade 4") in kr["rationale"])
    route = next(a for a in plans["plan-quality-system"]["activities"] if a.get("citation") == "체외진단의료기기법")
    assert "4" in route["name"] and route.get("verified") is False


@pytest.mark.parametrize("concept, language", [("COVID-19 antigen rapid test", "en"), ("코로나 신속항원검사", "ko")])
def test_unverified_ivd_class_still_cites_the_ivdr(live_server, concept, language):
    """A curated IVD whose IVDR class is not verified: no class, the tentative one shown, and its rule cited
    from IVDR Annex VIII under the IVDR's authority, never as an MDR rule."""
    classification, plans = _flow(live_server, concept)
    eu = classification["markets"]["EU"]
    assert eu["class"] is None and eu["tentative_class"] == "D" and eu["needs_review"] is True
    assert (eu["regulation"], eu["authority"]) == ("IVDR", "EU IVDR 2017/746")
    assert eu["citations"] == ["IVDR Annex VIII Rule 1"]
    assert ("검토가 필요합니다" if language == "ko" else "needs review") in eu["rationale"]
    clinical = " ".join(a["name"] for a in plans["plan-clinical-evaluation"]["activities"])
    assert "MDR" not in clinical.replace("IVDR", "")


@pytest.mark.parametrize("concept, language", [("toxoplasma gondii antibody test", "en"),
                                               ("광투과법 자동 혈소판 응집 측정 시스템", "ko")])
def test_catalogue_ivd_is_classified_and_planned_under_the_ivdr(live_server, concept, language):
    """A catalogue-only IVD (FDA 21 CFR part 866, or the MFDS IVD list): the EU class comes from IVDR Annex VIII,
    derived and flagged for review, and the plans evaluate performance (IVDR), not MDR clinical evidence."""
    classification, plans = _flow(live_server, concept)
    device = classification["device"]
    listed, code = device["id"].split(":")
    assert device["source"] == "catalogue"
    assert (CATALOGUE.fda[code]["regulation"].startswith("866.") if listed == "fda" else CATALOGUE.mfds[code]["ivd"])
    eu = classification["markets"]["EU"]
    assert eu["regulation"] == "IVDR" and eu["class"] in ("A", "B", "C", "D")
    assert eu["derived"] is True and eu["needs_review"] is True
    assert eu["citations"] and all(c.startswith("IVDR Annex VIII Rule ") for c in eu["citations"])
    assert ("시행규칙 1.9" if language == "ko" else "implementing rule 1.9") in eu["rationale"]
    clinical = " ".join(a["name"] for a in plans["plan-clinical-evaluation"]["activities"])
    assert ("IVDR 제56조" if language == "ko" else "IVDR Article 56") in clinical and "MDR" not in clinical.replace("IVDR", "")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_adaptive_ai_diagnostic_plans_a_pccp_and_the_ai_act(live_server, language):
    """ML software, EU class IIb: a cited PCCP in the software plan (US) and the AI Act high-risk plan with
    Article 6(1), its application date and one cited activity per obligation."""
    classification, plans = _flow(live_server, AI_CONCEPTS[language])
    assert classification["attributes"]["ai"] is True and classification["markets"]["EU"]["class"] == "IIb"
    pccp = next(a for a in plans["plan-software"]["activities"] if a.get("citation") == "FD&C Act section 515C")
    assert "PCCP" in pccp["name"] and ("2024년 12월" if language == "ko" else "December 2024") in pccp["name"]
    ai_act = plans["plan-eu-ai-act"]
    assert ai_act["markets"] == ["EU"] and "Regulation (EU) 2024/1689 Article 6(1)" in ai_act["citations"]
    assert ("2027년 8월 2일" if language == "ko" else "2 August 2027") in ai_act["rationale"]
    assert {f"Regulation (EU) 2024/1689 Article {n}" for n in (9, 10, 11, 12, 13, 14, 15, 17, 72)} == _cites({"x": ai_act})
    assert "plan-software" in ai_act["depends_on"]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_software_eu_rationale_shows_mdcg_2019_11_and_the_rule_11_trace(live_server, language):
    """Standalone software: the EU rationale qualifies it (MDCG 2019-11) and traces Rule 11 to its class."""
    eu = _post(live_server, "/api/classify", {"concept": AI_CONCEPTS[language]})["markets"]["EU"]
    assert eu["class"] == "IIb" and "MDCG 2019-11" in eu["citations"]
    trace = eu["software_trace"]
    assert trace in eu["rationale"] and trace.startswith("MDCG 2019-11")
    assert ("규칙 11 판단 경로: (a)" if language == "ko" else "Rule 11 trace: (a)") in trace and trace.endswith("IIb.")


def test_anthropic_engine_keeps_the_rule_11_trace(live_server, anthropic_server):
    """Claude (stub) rewords the EU rationale; the knowledge base's qualification and Rule 11 trace stay."""
    url, stub = anthropic_server
    stub.control(script=[])
    offline = _post(live_server, "/api/classify", {"concept": AI_CONCEPTS["en"]})["markets"]["EU"]
    claude = _post(url, "/api/classify", {"concept": AI_CONCEPTS["en"]})["markets"]["EU"]
    assert claude["software_trace"] == offline["software_trace"] and "MDCG 2019-11" in claude["citations"]


def test_no_ai_act_plan_for_software_without_machine_learning(live_server):
    """The AI Act plan rests on machine learning: the same device type without it (same EU class) gets none, nor a PCCP."""
    classification, plans = _flow(live_server, "ECG arrhythmia analysis software without machine learning")
    assert classification["attributes"]["ai"] is False and classification["markets"]["EU"]["class"] == "IIb"
    assert "plan-eu-ai-act" not in plans
    assert "FD&C Act section 515C" not in _cites(plans)


def test_anthropic_engine_keeps_every_cited_activity_of_the_offline_plans(live_server, anthropic_server):
    """The same classification planned by Claude (stub): every plan the offline engine cites keeps the same cited activities."""
    url, stub = anthropic_server
    stub.control(script=[])
    classification, offline = _flow(live_server, AI_CONCEPTS["en"])
    served = _post(url, "/api/standards", {"classification": classification})
    claude = {p["id"]: p for p in served["plans"]}
    assert served["engine"].startswith("anthropic")
    for plan_id, plan in offline.items():
        cited = [(a["citation"], a["name"]) for a in plan["activities"] if a.get("citation")]
        assert [(a["citation"], a["name"]) for a in claude[plan_id]["activities"] if a.get("citation")] == cited, plan_id
    assert claude["plan-eu-ai-act"]["citations"] == offline["plan-eu-ai-act"]["citations"]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_de_novo_pathway_plans_the_request_not_a_510k(live_server, language):
    """A classification whose US pathway is De Novo (sent back as the API allows) plans the request per 21 CFR 860.220."""
    classification = _post(live_server, "/api/classify", {"concept": AI_CONCEPTS[language]})
    classification["markets"]["US"]["pathway"] = "De Novo"
    plans = {p["id"]: p for p in _post(live_server, "/api/standards", {"classification": classification})["plans"]}
    premarket = plans["plan-us-premarket"]
    assert {"21 CFR 860.220", "21 CFR 860.240", "21 CFR 807.20"} == _cites({"x": premarket})
    assert "De Novo" in premarket["rationale"] and "21 CFR 807.87" not in _cites(plans)
    assert ("비교 기기가 없는" if language == "ko" else "without a predicate") in premarket["rationale"]


@pytest.mark.parametrize("language, feedback", [("en", "It does not use machine learning"), ("ko", "머신러닝은 사용하지 않습니다")])
def test_refining_away_machine_learning_removes_the_pccp_and_the_ai_act_plan(live_server, language, feedback):
    """Over real HTTP: the served plans refined with "no machine learning" lose the PCCP activity and the
    AI Act plan, each change naming the feedback; the software plan's estimate shrinks."""
    classification, plans = _flow(live_server, AI_CONCEPTS[language])
    assert "FD&C Act section 515C" in _cites(plans) and "plan-eu-ai-act" in plans
    out = _post(live_server, "/api/refine", {"plans": list(plans.values()), "feedback": feedback,
                                             "classification": classification})
    refined = {p["id"]: p for p in out["plans"]}
    assert "FD&C Act section 515C" not in _cites(refined) and "plan-eu-ai-act" not in refined
    pccp = [c for c in out["changes"] if isinstance(c["before"], dict) and c["before"].get("citation") == "FD&C Act section 515C"]
    assert len(pccp) == 1 and feedback in pccp[0]["reason"]
    assert refined["plan-software"]["estimated_weeks"] < plans["plan-software"]["estimated_weeks"]


def test_refining_in_machine_learning_adds_the_pccp(live_server):
    """The reverse: software without ML refined with "it uses machine learning" gains the PCCP and the AI Act plan."""
    classification, plans = _flow(live_server, "ECG arrhythmia analysis software without machine learning")
    out = _post(live_server, "/api/refine", {"plans": list(plans.values()), "feedback": "It uses machine learning",
                                             "classification": classification})
    refined = {p["id"]: p for p in out["plans"]}
    assert "FD&C Act section 515C" in _cites(refined) and "plan-eu-ai-act" in refined
