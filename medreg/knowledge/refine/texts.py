"""Korean and English reasons for the changes refine makes and for what it could not apply."""
from __future__ import annotations

from medreg.knowledge.words.phrases import Text

REASONS: dict[str, Text] = {
    "market_removed": {"en": "Market {market} removed by your feedback (“{text}”).",
                       "ko": "피드백(“{text}”)에 따라 {market} 시장을 제외했습니다."},
    "market_added": {"en": "Market {market} added by your feedback (“{text}”).",
                     "ko": "피드백(“{text}”)에 따라 {market} 시장을 추가했습니다."},
    "markets_changed": {"en": "Markets changed by your feedback: {text}.", "ko": "피드백에 따라 시장을 변경했습니다: {text}."},
    "standard_removed": {"en": "No longer applies: {facts} (“{text}”).", "ko": "더 이상 적용되지 않음: {facts} (“{text}”)."},
    "standard_added": {"en": "Now applies: {facts} (“{text}”).", "ko": "새로 적용됨: {facts} (“{text}”)."},
    "standard_dropped_by_user": {"en": "Removed at your request (“{text}”); keep the rationale for leaving it out in the technical file.",
                                 "ko": "요청(“{text}”)에 따라 제외했습니다. 제외 근거를 기술문서에 남겨 두십시오."},
    "standard_added_by_user": {"en": "Added at your request (“{text}”).", "ko": "요청(“{text}”)에 따라 추가했습니다."},
    "activity_removed_standard": {"en": "Belonged to {standard}, which was removed.", "ko": "제외된 {standard}에 속한 활동입니다."},
    "activity_removed_market": {"en": "Only needed for {market}, which was removed.", "ko": "제외된 {market} 시장에만 필요한 활동입니다."},
    "activity_added_market": {"en": "Needed for {market}, which was added.", "ko": "추가된 {market} 시장에 필요한 활동입니다."},
    "plan_removed": {"en": "This workstream no longer applies after your feedback (“{text}”).",
                     "ko": "피드백(“{text}”) 반영 후 이 작업 영역은 더 이상 적용되지 않습니다."},
    "plan_added": {"en": "This workstream now applies after your feedback (“{text}”).",
                   "ko": "피드백(“{text}”) 반영 후 이 작업 영역이 새로 적용됩니다."},
    "weeks": {"en": "Recomputed after the changes above.", "ko": "위 변경 사항을 반영하여 다시 계산했습니다."},
    "depends_on": {"en": "A plan it depended on was removed, or a new one now precedes it.",
                   "ko": "선행 계획이 제외되었거나 새 선행 계획이 생겼습니다."},
    "compressed": {"en": "Shortened to meet the {deadline}-week deadline (more people or priority test slots); this raises schedule risk.",
                   "ko": "{deadline}주 기한에 맞추기 위해 단축했습니다(인력 추가 또는 시험 일정 우선 확보). 일정 위험이 커집니다."},
    "at_risk": {"en": "On the critical path of a deadline that cannot be met ({deadline} weeks).",
                "ko": "달성할 수 없는 기한({deadline}주)의 핵심 경로에 있는 활동입니다."},
}

NOT_APPLIED: dict[str, Text] = {
    "unparsed": {"en": "Not understood, so nothing was changed. Examples that work: “no wireless”, “Korea only”, “add EU”, “sterile”, “home use”, “must submit in 6 months”.",
                 "ko": "이해하지 못해 변경하지 않았습니다. 예: “무선 없음”, “한국만”, “유럽 추가”, “멸균 제품”, “가정용”, “6개월 안에 제출”."},
    "market": {"en": "medreg covers the US, the EU and Korea only; {detail} is not supported.",
               "ko": "medreg는 미국, 유럽, 한국만 다룹니다. {detail}은(는) 지원하지 않습니다."},
    "already": {"en": "Already the case in these plans; nothing to change.", "ko": "이미 계획에 반영되어 있어 변경할 것이 없습니다."},
    "no_market_left": {"en": "This would leave no market, so the markets were kept as they were.",
                       "ko": "남는 시장이 없게 되므로 시장을 그대로 두었습니다."},
    "mandatory": {"en": "{detail} applies to every medical device and stays in the plan.",
                  "ko": "{detail}은(는) 모든 의료기기에 적용되므로 계획에 유지합니다."},
    "not_in_plans": {"en": "{detail} is not in these plans.", "ko": "{detail}은(는) 이 계획에 없습니다."},
    "not_in_catalogue": {"en": "{detail} is not in the standards catalogue, so its edition and applicability cannot be confirmed; add it by hand if needed.",
                         "ko": "{detail}은(는) 규격 카탈로그에 없어 판과 적용성을 확인할 수 없습니다. 필요하면 직접 추가하십시오."},
    "standard_unclear": {"en": "Unclear whether to add or remove {detail}; say “add …” or “remove …”.",
                         "ko": "{detail}을(를) 추가할지 제외할지 불분명합니다. “추가” 또는 “제외”라고 알려 주십시오."},
    "past_date": {"en": "The date {detail} is not in the future.", "ko": "{detail}은(는) 미래 날짜가 아닙니다."},
    "needs_new_plan": {"en": "This also calls for a new plan “{detail}”; run the standards step again to get it.",
                       "ko": "새 계획 “{detail}”도 필요합니다. 규격 단계를 다시 실행하여 받으십시오."},
    "software_only": {"en": "The device is standalone software, so “no software” contradicts its type; classify the concept again instead.",
                      "ko": "독립형 소프트웨어 기기이므로 “소프트웨어 없음”은 기기 유형과 모순됩니다. 개념을 다시 분류하십시오."},
    "no_market_block": {"en": "{detail} was added, but the classification has no {detail} result, so class-dependent activities (e.g. notified body, clinical data) are missing; classify again with {detail}.",
                        "ko": "{detail} 시장을 추가했지만 분류 결과에 {detail}이(가) 없어 등급에 따른 활동(인증기관, 임상 자료 등)이 빠져 있습니다. {detail}을(를) 포함하여 다시 분류하십시오."},
    "no_effect": {"en": "Understood, but nothing in these plans depends on it, so nothing changed.",
                  "ko": "이해했지만 이 계획에는 이에 따라 달라지는 항목이 없어 변경하지 않았습니다."},
    "no_effect_open": {"en": "Understood, but without the classification the plans' other facts are unknown, so no standard could be safely changed; send the classification with the plans.",
                       "ko": "이해했지만 분류 결과가 없어 다른 기기 특성을 알 수 없으므로 규격을 안전하게 변경하지 못했습니다. 계획과 함께 분류 결과를 보내 주십시오."},
    "deadline_infeasible": {"en": "A {deadline}-week deadline cannot be met: even compressed, the critical path ({path}) takes {after} weeks (before compression: {before}). Options: fewer markets first, starting work in parallel at risk, or a later date. Regulator review time comes on top.",
                            "ko": "{deadline}주 기한은 달성할 수 없습니다. 단축하더라도 핵심 경로({path})에 {after}주가 걸립니다(단축 전 {before}주). 선택지: 시장 축소 후 단계적 진입, 위험을 감수한 병행 착수, 또는 기한 연장. 규제기관 심사 기간은 별도입니다."},
}

NOTES: dict[str, Text] = {
    "deadline_fits": {"en": "The critical path ({path}) takes {weeks} weeks and fits the {deadline}-week deadline; regulator review time comes on top.",
                      "ko": "핵심 경로({path})는 {weeks}주로 {deadline}주 기한 안에 들어옵니다. 규제기관 심사 기간은 별도입니다."},
    "deadline_compressed": {"en": "To fit the {deadline}-week deadline the critical path was compressed from {before} to {after} weeks; the shortened activities carry schedule risk.",
                            "ko": "{deadline}주 기한에 맞추기 위해 핵심 경로를 {before}주에서 {after}주로 단축했습니다. 단축된 활동에는 일정 위험이 있습니다."},
}
