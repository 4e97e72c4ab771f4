// Korean and English texts of the page; the language defaults from the browser.

const TEXT = {
  ko: {
    title: 'medreg — 의료기기 규제 코파일럿',
    skip: '입력 양식으로 건너뛰기',
    tagline: '기기 개념을 입력하면 시장별 분류, 사용 목적, 규격 계획을 실시간으로 보여줍니다.',
    language: '언어',
    concept: '기기 개념',
    conceptHint: '예: 스마트 인슐린 펌프 — 한국어 또는 영어로 입력하세요.',
    context: '추가 정보 (선택)',
    markets: '대상 시장',
    start: '분석 시작',
    stop: '중지',
    status: '진행 상황',
    idle: '대기 중',
    connecting: '연결 중...',
    retrying: (n, s) => `연결이 끊겼습니다. ${s}초 후 다시 시도합니다 (${n}/3)...`,
    stopped: '중지했습니다.',
    finished: '모든 단계 완료',
    errorTitle: '오류',
    classification: '분류',
    device: '기기',
    category: '분류군',
    confidence: '신뢰도',
    alternatives: '다른 후보',
    questions: '확인이 필요한 질문',
    qualification: '의료기기 해당 여부',
    q_device: '의료기기',
    q_not_device: '의료기기 아님',
    q_needs_review: '판단 보류',
    notADevice: '의료기기가 아니므로 규격 계획을 만들지 않았습니다.',
    needsReview: '검토 필요',
    unverified: '미검증',
    derived: '기준으로 추정한 등급',
    market: '시장',
    authority: '규제기관',
    class: '등급',
    pathway: '인허가 경로',
    codes: '코드',
    rules: '규칙',
    citations: '근거',
    rationale: '근거 설명',
    attributes: '판단에 쓰인 속성',
    purpose: '사용 목적',
    intended_purpose: '사용 목적',
    indications: '적응증',
    contraindications: '금기',
    target_population: '대상 환자군',
    intended_users: '사용자',
    use_environment: '사용 환경',
    mechanism_of_action: '작용 원리',
    key_components: '주요 구성',
    plans: '규격 계획',
    plansProgress: (i, n) => `계획 ${i}/${n}`,
    weeks: '주',
    weeksCol: '기간(주)',
    weeksN: (n) => `${n}주`,
    standards: '규격',
    activities: '활동',
    deliverable: '산출물',
    dependsOn: '선행 계획',
    timeline: '일정 (간트 차트)',
    timelineDesc: (n, w) => `계획 ${n}개, 총 ${w}주`,
    refine: '계획 수정',
    feedback: '수정 요청',
    feedbackHint: '예: 한국에서만 판매합니다 / 무선 기능 없음',
    applyRefine: '수정 요청 보내기',
    cancel: '취소',
    changes: '변경 사항',
    before: '변경 전',
    after: '변경 후',
    reason: '이유',
    notApplied: '반영하지 못한 요청',
    noChanges: '변경 사항이 없습니다.',
    export: '내보내기',
    exportMd: 'Markdown 다운로드',
    exportHtml: 'HTML 보고서 다운로드',
    exportFailed: '내보내기에 실패했습니다.',
    engine: '엔진',
    none: '없음',
    yes: '예',
    no: '아니오',
    emptyConcept: '기기 개념을 입력하세요.',
    networkError: '서버에 연결할 수 없습니다. 잠시 후 다시 시도하세요.',
    serverSettings: '서버 설정',
    modelText: '모델 출력 (실시간)',
    apiKey: 'API 키',
    apiKeyHint: '서버가 API 키를 요구할 때만 입력하세요. 이 탭에만 저장됩니다.',
  },
  en: {
    title: 'medreg — regulatory co-pilot for medical devices',
    skip: 'Skip to the form',
    tagline: 'Type a device concept: classification per market, intended purpose and standards plans arrive live.',
    language: 'Language',
    concept: 'Device concept',
    conceptHint: 'e.g. smart insulin pump — in Korean or English.',
    context: 'More context (optional)',
    markets: 'Markets',
    start: 'Analyse',
    stop: 'Stop',
    status: 'Progress',
    idle: 'Idle',
    connecting: 'Connecting...',
    retrying: (n, s) => `Connection lost. Retrying in ${s} s (${n}/3)...`,
    stopped: 'Stopped.',
    finished: 'All steps done',
    errorTitle: 'Error',
    classification: 'Classification',
    device: 'Device',
    category: 'Category',
    confidence: 'Confidence',
    alternatives: 'Alternatives',
    questions: 'Questions to settle',
    qualification: 'Is it a medical device?',
    q_device: 'Medical device',
    q_not_device: 'Not a medical device',
    q_needs_review: 'Not decided',
    notADevice: 'Not a medical device, so no standards plan was made.',
    needsReview: 'needs review',
    unverified: 'unverified',
    derived: 'derived from the criteria',
    market: 'Market',
    authority: 'Authority',
    class: 'Class',
    pathway: 'Pathway',
    codes: 'Codes',
    rules: 'Rules',
    citations: 'Citations',
    rationale: 'Rationale',
    attributes: 'Attributes the rules used',
    purpose: 'Intended purpose',
    intended_purpose: 'Intended purpose',
    indications: 'Indications',
    contraindications: 'Contraindications',
    target_population: 'Target population',
    intended_users: 'Intended users',
    use_environment: 'Use environment',
    mechanism_of_action: 'Mechanism of action',
    key_components: 'Key components',
    plans: 'Standards plans',
    plansProgress: (i, n) => `Plan ${i} of ${n}`,
    weeks: 'weeks',
    weeksCol: 'Weeks',
    weeksN: (n) => `${n} wk`,
    standards: 'Standards',
    activities: 'Activities',
    deliverable: 'Deliverable',
    dependsOn: 'Depends on',
    timeline: 'Timeline (Gantt)',
    timelineDesc: (n, w) => `${n} plans, ${w} weeks in all`,
    refine: 'Refine plan',
    feedback: 'Feedback',
    feedbackHint: 'e.g. we sell in Korea only / no wireless',
    applyRefine: 'Send feedback',
    cancel: 'Cancel',
    changes: 'Changes',
    before: 'Before',
    after: 'After',
    reason: 'Reason',
    notApplied: 'Not applied',
    noChanges: 'No changes.',
    export: 'Export',
    exportMd: 'Download Markdown',
    exportHtml: 'Download HTML report',
    exportFailed: 'Export failed.',
    engine: 'Engine',
    none: 'none',
    yes: 'yes',
    no: 'no',
    emptyConcept: 'Type a device concept.',
    networkError: 'Cannot reach the server. Try again shortly.',
    serverSettings: 'Server settings',
    modelText: 'Model output (live)',
    apiKey: 'API key',
    apiKeyHint: 'Only when the server asks for one. Kept in this tab only.',
  },
};

let current = 'en';

/** The language the browser prefers, among ko and en (a stored choice wins). */
export function initialLanguage(storage = globalThis.localStorage, nav = globalThis.navigator) {
  const stored = storage?.getItem?.('medreg.lang');
  if (stored === 'ko' || stored === 'en') return stored;
  const langs = nav?.languages?.length ? nav.languages : [nav?.language || 'en'];
  for (const lang of langs) {
    const code = String(lang).toLowerCase().slice(0, 2);
    if (code === 'ko' || code === 'en') return code;
  }
  return 'en';
}

export function setLanguage(lang) {
  current = lang === 'ko' ? 'ko' : 'en';
  try { globalThis.localStorage?.setItem('medreg.lang', current); } catch { /* private mode */ }
}

export function language() {
  return current;
}

/** The text for `key` in the current language; functions take arguments. */
export function t(key, ...args) {
  const value = TEXT[current][key] ?? TEXT.en[key] ?? key;
  return typeof value === 'function' ? value(...args) : value;
}

/** Rewrite every element marked data-i18n (text) or data-i18n-placeholder. */
export function applyTexts(root = document) {
  document.documentElement.lang = current;
  document.title = t('title');
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
}
