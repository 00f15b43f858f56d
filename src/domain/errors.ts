/**
 * The one catalogue of errors Gazette raises on purpose. Each has a stable code (clients and
 * tests match on it), an HTTP status, and a message in Chinese and English with {named} slots.
 */
const catalogue = {
  CONFIG_INVALID: { status: 500, zh: '配置项 {name} 无效：{reason}', en: 'Invalid setting {name}: {reason}' },
  SECRET_KEY_MISMATCH: {
    status: 500,
    zh: '密钥与本存储不符（{what}）：请使用建库时的 GAZETTE_SECRET_KEY 或数据目录中的 secret.key',
    en: 'The secret key does not match this {what}: use the GAZETTE_SECRET_KEY or data/secret.key it was set up with',
  },
  STORE_UNAVAILABLE: {
    status: 503,
    zh: '数据存储暂时不可用，请稍后重试',
    en: 'The store is unavailable for the moment; try again shortly',
  },
  OUTPUT_NO_SPACE: {
    status: 503,
    zh: '输出目录 {dir} 所在磁盘已满，页面未能写入；原有页面照常访问，腾出空间后自动重试',
    en: 'The disk of the output store {dir} is full: the pages were not written; the old ones are still served, and the run is tried again once there is space',
  },
  FRONT_TOKEN_FILE: {
    status: 400,
    zh: '前端服务器令牌文件 {file} 无法使用：{reason}',
    en: 'The front server token file {file} cannot be used: {reason}',
  },
  FRONT_AUTH: {
    status: 401,
    zh: '推送签名无效或已过期：请检查两端的令牌文件与时钟',
    en: 'The push signature is wrong or too old: check the token files and clocks of both sides',
  },
  FRONT_BAD_PUSH: { status: 400, zh: '推送内容无效：{reason}', en: 'Invalid push: {reason}' },
  FRONT_SEQUENCE: {
    status: 409,
    zh: '推送序号不连续：前端服务器已应用到 {seq}，本次从 {fromSeq} 开始',
    en: 'Out of order push: the front has applied up to {seq}, this push starts after {fromSeq}',
  },
  FRONT_HASH_MISMATCH: {
    status: 422,
    zh: '页面 {key} 的内容与清单哈希不符，整批拒收，原页面保留',
    en: 'The bytes of {key} do not match the manifest hash: the batch is refused and the previous pages kept',
  },
  FRONT_DISK_FULL: {
    status: 507,
    zh: '前端服务器磁盘已满（{reason}），本批未应用，原页面照常访问',
    en: 'The front server disk is full ({reason}): the batch was not applied, the previous pages are served',
  },
  FRONT_NOT_FOUND: { status: 404, zh: '前端服务器 {name} 不存在', en: 'Front server {name} does not exist' },
  FRONT_NAME_TAKEN: { status: 409, zh: '前端服务器名称 {name} 已被使用', en: 'The front server name {name} is taken' },
  FRONT_EVENT_NOT_FOUND: { status: 404, zh: '防篡改事件 {id} 不存在', en: 'Tamper event {id} does not exist' },
  FRONT_TOO_LARGE: { status: 413, zh: '推送超过 {max} 字节的上限', en: 'The push is over the limit of {max} bytes' },
  STORE_MIGRATION_FAILED: { status: 500, zh: '数据库迁移失败：{reason}', en: 'Database migration failed: {reason}' },
  BAD_REQUEST: { status: 400, zh: '请求无效：{reason}', en: 'Bad request: {reason}' },
  CONTENT_TYPE_UNSUPPORTED: {
    status: 415,
    zh: '此处不接受 {type} 格式的请求内容，请发送 {expected}',
    en: 'A body of type {type} is not accepted here; send {expected}',
  },
  USAGE: { status: 400, zh: '用法错误：{reason}', en: 'Usage: {reason}' },
  SEARCH_QUERY_EMPTY: { status: 400, zh: '请输入要搜索的内容', en: 'Enter something to search for' },
  SEARCH_QUERY_TOO_LONG: {
    status: 400,
    zh: '搜索内容过长（最多 {max} 个字）',
    en: 'The search is too long (at most {max} characters)',
  },
  SEARCH_BAD_FILTER: { status: 400, zh: '筛选条件 {name} 无效：{reason}', en: 'Invalid filter {name}: {reason}' },
  ARTICLE_NOT_FOUND: { status: 404, zh: '文章 {id} 不存在', en: 'Article {id} does not exist' },
  ARTICLE_NOT_PUBLISHED: {
    status: 409,
    zh: '文章 {id} 未发布（当前状态：{status}）',
    en: 'Article {id} is not published (it is {status})',
  },
  NOT_FOUND: { status: 404, zh: '页面不存在', en: 'Page not found' },
  INTERNAL: {
    status: 500,
    zh: '服务器内部错误；联系管理员时请提供参考编号 {reference}',
    en: 'Internal server error; quote reference {reference} to the administrator',
  },
  SITE_MISSING: { status: 500, zh: '尚未创建站点', en: 'No site has been created yet' },
  SITE_NOT_FOUND: { status: 404, zh: '站点 {site} 不存在', en: 'Site {site} does not exist' },
  SITE_AMBIGUOUS: {
    status: 400,
    zh: '平台上有多个站点，请用 --site 指定其一：{choices}',
    en: 'The platform has several sites; name one with --site: {choices}',
  },
  SITE_HAS_CONTENT: {
    status: 409,
    zh: '站点 {site} 仍有内容（{articles} 篇文章、{channels} 个栏目），请先归档再删除',
    en: 'Site {site} still has content ({articles} articles, {channels} columns); archive it before removing it',
  },
  SITE_LAST: {
    status: 409,
    zh: '不能删除平台上唯一的站点 {site}',
    en: 'Site {site} is the only site of the platform and cannot be removed',
  },
  HOST_INVALID: { status: 400, zh: '域名 {host} 无效：{reason}', en: 'Host name {host} is invalid: {reason}' },
  HOST_TAKEN: {
    status: 409,
    zh: '域名 {host} 已属于站点 {site}',
    en: 'Host name {host} already belongs to site {site}',
  },
  HOST_LAST: {
    status: 409,
    zh: '域名 {host} 是站点 {site} 唯一的域名，不能移除',
    en: 'Host name {host} is the only one of site {site} and cannot be removed',
  },
  PLACEMENT_NOT_FOUND: { status: 404, zh: '引用 {id} 不存在', en: 'Placement {id} does not exist' },
  PLACEMENT_EXISTS: {
    status: 409,
    zh: '文章 {article} 已在栏目“{channel}”中',
    en: 'Article {article} is already in column "{channel}"',
  },
  PLACEMENT_NOT_LIST: {
    status: 422,
    zh: '栏目“{name}”是{kind}，不放文章，不能引用或报送到这里',
    en: 'Column "{name}" is a {kind} and holds no articles; nothing can be placed or submitted there',
  },
  PLACEMENT_HOME: {
    status: 422,
    zh: '文章 {article} 本来就在栏目“{channel}”中',
    en: 'Article {article} already lives in column "{channel}"',
  },
  PLACEMENT_LIVE: {
    status: 409,
    zh: '引用 {id} 正在栏目中显示，请先撤下再删除',
    en: 'Placement {id} is on its column now; withdraw it before removing it',
  },
  SUBMISSION_NOT_FOUND: { status: 404, zh: '报送 {id} 不存在', en: 'Submission {id} does not exist' },
  SUBMISSION_CLOSED: { status: 403, zh: '栏目“{name}”不接收信息报送', en: 'Column "{name}" takes no submissions' },
  SUBMISSION_SAME_SITE: {
    status: 422,
    zh: '信息报送是报给其他站点的栏目；本站栏目请用引用',
    en: "Submissions go to another site's column; within the site, place the article instead",
  },
  SUBMISSION_PENDING: {
    status: 409,
    zh: '文章 {article} 已报送到栏目“{channel}”，正在等待处理',
    en: 'Article {article} was already submitted to column "{channel}" and awaits a decision',
  },
  SUBMISSION_DECIDED: {
    status: 409,
    zh: '报送 {id} 已处理（{status}）',
    en: 'Submission {id} was already decided ({status})',
  },
  CHANNEL_SLUG_TAKEN: { status: 409, zh: '栏目标识 {slug} 已被占用', en: 'Channel slug {slug} is already taken' },
  AUTH_REQUIRED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  AUTH_INVALID: { status: 401, zh: '用户名或密码错误', en: 'Wrong user name or password' },
  AUTH_TOTP_REQUIRED: { status: 401, zh: '请输入动态验证码', en: 'Enter the one-time code' },
  AUTH_TOTP_INVALID: { status: 401, zh: '动态验证码错误', en: 'Wrong one-time code' },
  AUTH_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试或联系安全管理员',
    en: 'Too many failed sign-ins: the account is locked; try again in {minutes} minutes or ask the security administrator',
  },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  CSRF_INVALID: {
    status: 403,
    zh: '请求校验失败（CSRF 令牌缺失或无效），请刷新页面',
    en: 'Missing or invalid CSRF token; reload the page',
  },
  PERMISSION_DENIED: { status: 403, zh: '没有权限：{action}', en: 'Not allowed: {action}' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '请先修改初始密码', en: 'Change your initial password first' },
  SECOND_FACTOR_REQUIRED: {
    status: 403,
    zh: '管理类账号须先启用两步验证（动态验证码）才能继续使用',
    en: 'An administrative account must turn on two-step verification (one-time codes) before going on',
  },
  REAUTH_REQUIRED: {
    status: 403,
    zh: '此操作须重新输入密码确认身份（每 {minutes} 分钟一次）',
    en: 'Enter your password again to confirm it is you (once every {minutes} minutes)',
  },
  SESSION_NOT_FOUND: { status: 404, zh: '会话 {ref} 不存在或已结束', en: 'Session {ref} does not exist or has ended' },
  PASSWORD_WEAK: { status: 400, zh: '密码不符合要求：{reason}', en: 'The password is too weak: {reason}' },
  PASSWORD_CURRENT_WRONG: { status: 400, zh: '当前密码错误', en: 'The current password is wrong' },
  TOTP_CONFIRM_WRONG: {
    status: 400,
    zh: '验证码不正确，请核对手机上的动态验证码',
    en: 'The code does not match; check the code on your phone',
  },
  TOTP_NOT_STARTED: { status: 400, zh: '请先生成动态验证码密钥', en: 'Start the one-time code set-up first' },
  USER_EXISTS: { status: 409, zh: '用户名 {username} 已存在', en: 'User name {username} is taken' },
  USER_NOT_FOUND: { status: 404, zh: '用户 {id} 不存在', en: 'User {id} does not exist' },
  ROLE_INVALID: { status: 400, zh: '角色 {role} 无效（可选：{roles}）', en: 'Unknown role {role} (one of {roles})' },
  FIELD_INVALID: { status: 400, zh: '字段 {field} 无效：{reason}', en: 'Invalid {field}: {reason}' },
  ARTICLE_VERSION_CONFLICT: {
    status: 409,
    zh: '文章已被他人修改（您编辑的是第 {yours} 版，当前为第 {current} 版），请载入最新版本后再保存',
    en: 'The article was changed by someone else (you edited version {yours}, it is now {current}); load the latest version and save again',
  },
  WORKFLOW_INVALID: {
    status: 409,
    zh: '状态为“{status}”的文章不能执行“{step}”',
    en: 'An article that is {status} cannot be {step}',
  },
  WORKFLOW_OWN_ARTICLE: { status: 403, zh: '不能审核自己撰写的文章', en: 'You cannot approve your own article' },
  WORKFLOW_SAME_REVIEWER: {
    status: 403,
    zh: '同一篇文章的各级审核须由不同的人完成',
    en: 'Each review level must be passed by a different reviewer',
  },
  COMMENT_REQUIRED: { status: 400, zh: '请填写{what}', en: 'A {what} is required' },
  PUBLISH_TIME_REASON_REQUIRED: {
    status: 400,
    zh: '修改发布时间须填写原因',
    en: 'Changing the publish time needs a recorded reason',
  },
  SCHEDULE_IN_PAST: { status: 400, zh: '定时时间 {at} 已过', en: 'The scheduled time {at} has passed' },
  CHANNEL_NOT_FOUND: { status: 404, zh: '栏目 {id} 不存在', en: 'Channel {id} does not exist' },
  CHANNEL_NOT_EMPTY: {
    status: 409,
    zh: '栏目“{name}”下还有子栏目或文章，不能删除',
    en: 'Channel "{name}" still has sub-channels or articles',
  },
  CONTENT_TYPE_NOT_FOUND: { status: 404, zh: '没有内容类型“{type}”', en: 'There is no content type "{type}"' },
  CONTENT_TYPE_MISMATCH: {
    status: 400,
    zh: '栏目“{name}”存放{expected}，不能放入{actual}',
    en: 'Channel "{name}" holds items of type {expected}, not {actual}',
  },
  CHANNEL_TYPE_HAS_ITEMS: {
    status: 409,
    zh: '栏目“{name}”已有 {count} 项{type}内容，不能改为其他内容类型',
    en: 'Channel "{name}" holds {count} items of type {type}; its content type cannot change',
  },
  CONTENT_INCOMPLETE: {
    status: 422,
    zh: '{type}缺少以下内容，不能发布：{missing}',
    en: 'The {type} cannot be published; these are missing: {missing}',
  },
  RELATION_NOT_FOUND: {
    status: 422,
    zh: '字段 {field} 关联的内容 {id} 不存在',
    en: 'Field {field} points to item {id}, which does not exist',
  },
  RELATION_WRONG_TYPE: {
    status: 422,
    zh: '字段 {field} 须关联{expected}，内容 {id} 是{actual}',
    en: 'Field {field} must point to a {expected}; item {id} is a {actual}',
  },
  RELATION_FORBIDDEN: {
    status: 403,
    zh: '您无权查看字段 {field} 关联的内容 {id}',
    en: 'You may not read item {id}, which field {field} points to',
  },
  CONTENT_FIELD_TAKEN: {
    status: 409,
    zh: '{type}已有名为 {name} 的字段',
    en: 'The type {type} has a field named {name} already',
  },
  CONTENT_FIELD_NOT_FOUND: {
    status: 404,
    zh: '{type}没有本站添加的字段 {name}',
    en: 'The type {type} has no field {name} added by this site',
  },
  CONTENT_FIELD_HAS_VALUES: {
    status: 409,
    zh: '字段 {name} 已有 {count} 项内容填写了值，直接删除会丢失数据；确需删除，请选择“归档后删除”（命令行加 --force），这些值将先归档保存',
    en: 'Field {name} has values in {count} items; removing it would lose them. Archive them first ("归档后删除", or --force on the command line)',
  },
  IMPORT_ROW_INVALID: {
    status: 400,
    zh: '{file} 第 {row} 行 {field}：{reason}',
    en: '{file} row {row}, {field}: {reason}',
  },
  IMPORT_FILE_INVALID: {
    status: 400,
    zh: '{file} 不是可导入的文件：{reason}',
    en: '{file} cannot be imported: {reason}',
  },
  IMPORT_TYPE_MISMATCH: {
    status: 400,
    zh: '{file} 是{actual}的导出文件，不能作为{expected}导入',
    en: '{file} is an export of {actual}, not of {expected}',
  },
  EXPORT_CELL_TOO_LONG: {
    status: 422,
    zh: '内容 {id} 的 {field} 有 {length} 个字符，超过 Excel 单元格的上限 32767：请导出为 JSON',
    en: 'Item {id}: {field} has {length} characters, more than an Excel cell holds (32767); export to JSON instead',
  },
  CHANNEL_NOT_LIST: {
    status: 400,
    zh: '栏目“{name}”不是列表栏目，不能放文章',
    en: 'Channel "{name}" is not a list channel and cannot hold articles',
  },
  CHANNEL_CYCLE: { status: 400, zh: '不能把栏目移到它自己的下级', en: 'A channel cannot move under itself' },
  REVISION_NOT_FOUND: {
    status: 404,
    zh: '文章 {id} 没有第 {number} 号修订',
    en: 'Article {id} has no revision {number}',
  },
  DATA_KEY_MISSING: {
    status: 503,
    zh: '互动交流暂不可用：服务器未配置个人信息加密密钥 GAZETTE_DATA_KEY（64 位十六进制，可用 gazette key new 生成）',
    en: 'Public forms are off: the server has no GAZETTE_DATA_KEY to encrypt personal data (64 hex characters; `gazette key new` prints one)',
  },
  DATA_KEY_INVALID: {
    status: 500,
    zh: '个人信息加密密钥 {name} 无效：{reason}',
    en: 'The personal-data key {name} is invalid: {reason}',
  },
  DATA_KEY_UNKNOWN: {
    status: 500,
    zh: '个人信息由密钥 {keyId} 加密，但当前未配置该密钥（GAZETTE_DATA_KEY 或 GAZETTE_DATA_KEY_PREVIOUS）',
    en: 'Personal data is sealed with key {keyId}, which is not configured (GAZETTE_DATA_KEY or GAZETTE_DATA_KEY_PREVIOUS)',
  },
  CHALLENGE_FAILED: {
    status: 400,
    zh: '人机验证未通过：{reason}',
    en: 'The anti-spam check failed: {reason}',
  },
  CASE_FIELD_INVALID: {
    status: 400,
    zh: '{label}填写有误：{reason}',
    en: 'Field {field} is invalid: {reason}',
  },
  CASE_NOT_FOUND: {
    status: 404,
    zh: '查询码或查询密码不正确',
    en: 'No case matches this query code and password',
  },
  CASE_MISSING: { status: 404, zh: '信件 {id} 不存在', en: 'Case {id} does not exist' },
  CASE_STEP_INVALID: {
    status: 409,
    zh: '信件当前状态为“{status}”，不能执行“{step}”',
    en: 'The case is {status}: {step} is not possible now',
  },
  CASE_UNIT_NOT_FOUND: { status: 404, zh: '承办单位 {id} 不存在', en: 'Handling unit {id} does not exist' },
  CASE_ATTACHMENT_TYPE: {
    status: 415,
    zh: '附件“{file}”未被接受：{reason}',
    en: 'Field {field}: the file “{file}” is refused: {reason}',
  },
  CASE_ATTACHMENT_TOO_LARGE: {
    status: 413,
    zh: '附件“{file}”过大（每个附件最大 {max} MB）',
    en: 'Field {field}: the file “{file}” is too large (at most {max} MB each)',
  },
  CASE_TYPE_CLOSED: {
    status: 400,
    zh: '本站不受理“{type}”类信件',
    en: 'This site does not take letters of type {type}',
  },
  CONSULTATION_MISSING: { status: 404, zh: '意见征集 {id} 不存在', en: 'Consultation {id} does not exist' },
  CONSULTATION_NOT_OPEN: {
    status: 409,
    zh: '“{title}”{reason}，不再接收意见',
    en: 'The consultation “{title}” takes no comments: {reason}',
  },
  CONSULTATION_STEP_INVALID: {
    status: 409,
    zh: '意见征集当前状态为“{phase}”，不能{step}',
    en: 'The consultation is {phase}: it cannot {step} now',
  },
  LETTER_DESK_CLOSED: { status: 404, zh: '本站暂未开通网上信箱', en: 'This site takes no letters' },
  LETTER_NOT_PUBLISHABLE: {
    status: 409,
    zh: '写信人未同意公开，信件 {id} 不能公开',
    en: 'The writer did not agree to publication: letter {id} cannot be published',
  },
  SIGNATURE_INVALID: {
    status: 401,
    zh: '签名验证未通过：{reason}',
    en: 'The signature does not verify: {reason}',
  },
  REPLAY_REFUSED: {
    status: 409,
    zh: '事件 {eventId} 已处理过，拒绝重复处理',
    en: 'Event {eventId} was taken before: a replay is refused',
  },
  HOTLINE_DISABLED: {
    status: 403,
    zh: '本站未启用 12345 热线对接',
    en: 'The 12345 hotline link of this site is switched off',
  },
  HOTLINE_CASE_NOT_FOUND: {
    status: 404,
    zh: '本站没有查询码为 {queryCode} 的信件',
    en: 'This site has no letter with query code {queryCode}',
  },
  SURVEY_NOT_FOUND: { status: 404, zh: '调查 {id} 不存在', en: 'Survey {id} does not exist' },
  SURVEY_NOT_OPEN: {
    status: 409,
    zh: '该调查{phase}，不能提交答卷',
    en: 'The survey is {phase}: no answers are taken',
  },
  SURVEY_ALREADY_ANSWERED: {
    status: 409,
    zh: '该{unit}已参与过本次调查，每个{unit}限答一次',
    en: 'This {unit} has already answered the survey: one answer each',
  },
  SURVEY_RESULTS_HIDDEN: { status: 409, zh: '{reason}', en: 'No public results: {reason}' },
  SURVEY_FROZEN: {
    status: 409,
    zh: '调查已有答卷，题目和答卷限制不能再修改',
    en: 'The survey has answers: its questions and who may answer once cannot change any more',
  },
  SURVEY_STATUS_INVALID: {
    status: 409,
    zh: '调查当前状态为“{status}”，不能{action}',
    en: 'The survey is {status}: it cannot be {action}',
  },
  CALENDAR_DAY_INVALID: {
    status: 400,
    zh: '日历日期 {day} 无效：{reason}',
    en: 'Calendar day {day} is invalid: {reason}',
  },
  MEDIA_NO_FILE: { status: 400, zh: '请选择要上传的文件', en: 'Choose a file to upload' },
  MEDIA_ALT_REQUIRED: { status: 400, zh: '图片须填写替代文字（alt）', en: 'Images need alternative text (alt)' },
  MEDIA_TOO_LARGE: {
    status: 413,
    zh: '文件过大（{kind}最大 {max} MB）',
    en: 'The file is too large ({kind} limit {max} MB)',
  },
  MEDIA_TYPE_NOT_ALLOWED: {
    status: 415,
    zh: '不支持的文件类型 .{extension}（可上传：{allowed}）',
    en: 'File type .{extension} is not accepted (allowed: {allowed})',
  },
  MEDIA_TYPE_MISMATCH: {
    status: 415,
    zh: '文件内容（{actual}）与扩展名 .{extension} 不符',
    en: 'The file content ({actual}) does not match its extension .{extension}',
  },
  MEDIA_BAD_IMAGE: { status: 400, zh: '图片无法读取：{reason}', en: 'The image cannot be read: {reason}' },
  MEDIA_NOT_FOUND: { status: 404, zh: '媒体文件 {id} 不存在', en: 'Media {id} does not exist' },
  MEDIA_QUOTA_EXCEEDED: {
    status: 413,
    zh: '超出您在本站的媒体空间配额：已上传 {used}，本文件 {size}，上限 {quota}',
    en: 'Over your media quota on this site: {used} uploaded, this file {size}, limit {quota}',
  },
  MEDIA_INFECTED: {
    status: 422,
    zh: '文件未通过病毒检查（{scanner}：{signature}），未上传',
    en: 'The file failed the virus check ({scanner}: {signature}) and was not uploaded',
  },
  MEDIA_SCAN_UNAVAILABLE: {
    status: 503,
    zh: '病毒扫描服务（{scanner}）不可用（{reason}），文件未上传；请稍后重试或联系管理员',
    en: 'The virus scanner ({scanner}) is unavailable ({reason}), so the file was not uploaded; try again later or tell the administrator',
  },
  // 站点外观 (the site's look: src/domain/look-validate.ts, src/services/platform/look.ts)
  LOOK_INVALID: {
    status: 400,
    zh: '站点外观的 {field} 有误：{reason}',
    en: 'Site look: {field} is invalid: {reason}',
  },
  LOOK_CHANNEL_UNKNOWN: {
    status: 422,
    zh: '站点外观的 {field}：本站没有栏目 {id}',
    en: 'Site look: {field} names column {id}, which this site does not have',
  },
  LOOK_CONTRAST_TOO_LOW: {
    status: 422,
    zh: '{name} {colour} 与白色文字的对比度为 {ratio}:1，低于 WCAG AA 要求的 4.5:1（用于{use}）',
    en: '{name} {colour} has a contrast ratio of {ratio}:1 with white text, below the 4.5:1 WCAG AA requires (it is used for {use})',
  },
  LOOK_VERSION_CONFLICT: {
    status: 409,
    zh: '站点外观已被他人修改（您编辑的是第 {yours} 版，当前为第 {current} 版），请载入最新版本后再保存',
    en: 'The site look was changed by someone else (you edited version {yours}, it is now {current}); load the latest version and save again',
  },
  LOOK_IMAGE_TYPE: {
    status: 415,
    zh: '文件“{file}”不能用作{slot}：检测到的内容为{found}，只接受 {allowed}',
    en: 'The file “{file}” cannot be the {slot}: its content is {found}; only {allowed} are accepted',
  },
  LOOK_IMAGE_TOO_LARGE: {
    status: 413,
    zh: '文件“{file}”大小为 {size}，超过{slot}的上限 {max}',
    en: 'The file “{file}” is {size}, over the {slot} limit of {max}',
  },
  // Template overrides (模板编辑: src/theme/overrides.ts, src/services/platform/theme.ts)
  THEME_TEMPLATE_UNKNOWN: {
    status: 404,
    zh: '默认主题中没有模板“{name}”',
    en: 'The default theme has no template "{name}"',
  },
  THEME_TEMPLATE_ERROR: { status: 422, zh: '{file} 第 {line} 行：{reason}', en: '{file} line {line}: {reason}' },
  THEME_NOT_OVERRIDDEN: {
    status: 409,
    zh: '模板“{name}”未被修改，已是默认主题的版本',
    en: 'Template "{name}" is not overridden: it is the default theme\'s already',
  },
  THEME_REVISION_NOT_FOUND: { status: 404, zh: '模板修订 {id} 不存在', en: 'Template revision {id} does not exist' },
  THEME_IMPORT_MANIFEST: {
    status: 400,
    zh: '{file} 不是 gazette theme export 写出的清单：{reason}',
    en: '{file} is not a manifest written by gazette theme export: {reason}',
  },
  THEME_PREVIEW_PATH: {
    status: 422,
    zh: '{path} 不是本站用模板生成的页面，无法预览',
    en: '{path} is not a page of the site made from a template; it cannot be previewed',
  },
  TRANSFER_TARGET_NOT_EMPTY: {
    status: 409,
    zh: '目标存储 {target} 不是空的（{table} 表中已有数据），未写入任何内容',
    en: 'The target store {target} is not empty (table {table} has rows); nothing was written',
  },
  TRANSFER_SOURCE_MISSING: {
    status: 400,
    zh: '源存储 {source} 不存在',
    en: 'The source store {source} does not exist',
  },
  BACKUP_UNREADABLE: { status: 400, zh: '无法读取备份文件：{reason}', en: 'Cannot read the backup file: {reason}' },
  BACKUP_CORRUPT: {
    status: 400,
    zh: '备份文件损坏或不完整：{reason}；数据未作任何改动',
    en: 'The backup file is corrupt or incomplete: {reason}; the store was left unchanged',
  },
  BACKUP_MIGRATION_MISMATCH: {
    status: 409,
    zh: '备份文件的数据结构版本为 {backup}，当前程序为 {current}，不能恢复；请用制作备份的版本恢复',
    en: 'The backup was made at migration {backup} but this Gazette is at {current}; restore it with the version that made it',
  },
  IMPORT_FILE_MISSING: { status: 400, zh: '文件不存在或不可读', en: 'file does not exist or cannot be read' },
  IMPORT_EMPTY: { status: 400, zh: '文件为空', en: 'file is empty' },
  IMPORT_BINARY: {
    status: 400,
    zh: '二进制文件（含 NUL 字节），不是文本页面',
    en: 'binary file (NUL byte), not a text page',
  },
  IMPORT_ENCODING: {
    status: 400,
    zh: '不是有效的 UTF-8 文本（第 {column} 字节处编码错误）',
    en: 'not valid UTF-8 (bad byte at column {column})',
  },
  IMPORT_NO_BREADCRUMB: {
    status: 400,
    zh: '缺少位置导航行（应为“首页 > 栏目 > 正文”）',
    en: 'no breadcrumb line (expected "首页 > column > 正文")',
  },
  IMPORT_BREADCRUMB_NO_COLUMN: { status: 400, zh: '位置导航中没有栏目', en: 'the breadcrumb names no column' },
  IMPORT_NO_TITLE: { status: 400, zh: '缺少标题', en: 'no title' },
  IMPORT_NO_PUBLISH_TIME: {
    status: 400,
    zh: '缺少发布时间行（应为“来源: 本站 发布时间: 2021-05-20 22:19”）',
    en: 'no publish time line (expected "来源: 本站 发布时间: 2021-05-20 22:19")',
  },
  IMPORT_BAD_DATE: {
    status: 400,
    zh: '无法识别的发布时间“{value}”（应为 YYYY-MM-DD HH:mm）',
    en: 'unreadable publish time "{value}" (expected YYYY-MM-DD HH:mm)',
  },
  IMPORT_COLUMN_NOT_LIST: {
    status: 400,
    zh: '栏目“{name}”不是列表栏目（类型：{type}），不能放文章',
    en: 'column "{name}" is not a list column (it is a {type} column) and cannot hold articles',
  },
  IMPORT_NO_BODY: { status: 400, zh: '缺少正文', en: 'no body text' },
  IMPORT_HTML_NO_CONTENT: {
    status: 400,
    zh: 'HTML 页面中找不到正文区域',
    en: 'no main content found in the HTML page',
  },
  DISCLOSURE_NOT_FOUND: {
    status: 404,
    zh: '文章 {id} 不是政府信息公开信息（没有信息公开元数据）',
    en: 'Article {id} has no 信息公开 (disclosure) metadata',
  },
  LINK_TARGET_REFUSED: {
    status: 403,
    zh: '拒绝访问 {host}：{why}',
    en: 'Refused to reach {host}: {why}',
  },
  LINK_ALLOW_INVALID: {
    status: 400,
    zh: '内网放行项 “{entry}” 无效：应为网段（如 10.20.0.0/16）、IP 地址或域名',
    en: 'Invalid private-address allowance "{entry}": expected a CIDR range (such as 10.20.0.0/16), an IP address or a host name',
  },
  WORDING_DICTIONARY_INVALID: {
    status: 400,
    zh: '错敏词词库有误：{reason}',
    en: 'Invalid wording dictionary entry: {reason}',
  },
  WORDING_SERIOUS: {
    status: 422,
    zh: '存在严重表述错误，须修改或由安全管理员审核放行：{findings}',
    en: 'Serious wording errors must be fixed or overridden by the security administrator: {findings}',
  },
  WORDING_ENTRY_NOT_FOUND: { status: 404, zh: '词条 {id} 不存在', en: 'Wording entry {id} does not exist' },
  WORDING_ENTRY_EXISTS: {
    status: 409,
    zh: '词条“{phrase}”（{kind}）已存在',
    en: 'Wording entry "{phrase}" ({kind}) already exists',
  },
  WORDING_NOTHING_TO_OVERRIDE: {
    status: 409,
    zh: '文章 {id} 当前版本没有严重表述错误，无需放行',
    en: 'Article {id} has no serious wording finding to override in its current version',
  },
  // gazette migrate-site (the lead's block)
  MIGRATE_MAP_LINE: { status: 400, zh: '栏目映射文件格式错误：{reason}', en: 'Bad column map line: {reason}' },
  MIGRATE_NOT_A_SITE: {
    status: 400,
    zh: '{url} 不是可迁移的网站：{reason}',
    en: '{url} is not a site that can be migrated: {reason}',
  },
  MIGRATE_BUILD_FAILED: {
    status: 500,
    zh: '文章已迁入，但页面生成（gazette build）失败，退出码 {code}；请再运行 gazette build',
    en: 'The articles came over, but writing the pages (gazette build) failed with exit code {code}; run gazette build again',
  },
  MIGRATE_SINCE: {
    status: 400,
    zh: '--since 应为日期（如 2020-01-01），而不是“{value}”',
    en: '--since takes a date such as 2020-01-01, not "{value}"',
  },
  // gazette migrate-site: the source (src/migrate/source)
  MIGRATE_SOURCE_UNREACHABLE: {
    status: 502,
    zh: '无法连接要迁移的网站 {url}：{reason}',
    en: 'The site to migrate, {url}, cannot be reached: {reason}',
  },
  MIGRATE_SOURCE_INVALID: {
    status: 400,
    zh: '迁移来源 {source} 不可用：{reason}',
    en: 'The migration source {source} cannot be used: {reason}',
  },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof catalogue;
export type Lang = 'zh' | 'en';
/** A slot's value; words that differ by language come as `{ zh, en }`. */
export type ErrorParam = string | number | Readonly<Record<Lang, string>>;
export type ErrorParams = Readonly<Record<string, ErrorParam>>;

function fill(template: string, params: ErrorParams, lang: Lang): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'object' ? value[lang] : String(value);
  });
}

export class GazetteError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;
  /** Where in an input the problem is, for `file:line: reason` reports. */
  readonly location: { readonly file?: string; readonly line?: number } | undefined;

  constructor(code: ErrorCode, params: ErrorParams = {}, location?: { file?: string; line?: number }, cause?: unknown) {
    super(fill(catalogue[code].en, params, 'en'), cause === undefined ? undefined : { cause });
    this.name = 'GazetteError';
    this.code = code;
    this.status = catalogue[code].status;
    this.params = params;
    this.location = location;
  }

  messageIn(lang: Lang): string {
    return fill(catalogue[this.code][lang], this.params, lang);
  }

  /** The same error, placed in a file (keeps the line if one is known). */
  at(file: string, line?: number): GazetteError {
    return new GazetteError(this.code, this.params, { file, line: line ?? this.location?.line });
  }

  /** `file:line: reason`, the form compilers and linters use, so editors can jump to it. */
  report(lang: Lang): string {
    const where = [this.location?.file, this.location?.line].filter((part) => part !== undefined).join(':');
    return where ? `${where}: ${this.messageIn(lang)}` : this.messageIn(lang);
  }
}

export function isGazetteError(value: unknown): value is GazetteError {
  return value instanceof GazetteError;
}
