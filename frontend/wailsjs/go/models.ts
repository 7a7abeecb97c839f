export namespace app {
	
	export class AboutDTO {
	    name: string;
	    version: string;
	    go_version: string;
	    platform: string;
	    data_dir: string;
	    demo: boolean;
	    keychain: string;
	
	    static createFrom(source: any = {}) {
	        return new AboutDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.version = source["version"];
	        this.go_version = source["go_version"];
	        this.platform = source["platform"];
	        this.data_dir = source["data_dir"];
	        this.demo = source["demo"];
	        this.keychain = source["keychain"];
	    }
	}
	export class AccountDTO {
	    id: number;
	    kind: string;
	    name: string;
	    url: string;
	    username: string;
	    host: string;
	    port: number;
	    security: string;
	    login: string;
	    project_id: number;
	    project: string;
	    folders: string[];
	    from_address: string;
	    from_name: string;
	    delivery: string;
	    signature: string;
	
	    static createFrom(source: any = {}) {
	        return new AccountDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.url = source["url"];
	        this.username = source["username"];
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.login = source["login"];
	        this.project_id = source["project_id"];
	        this.project = source["project"];
	        this.folders = source["folders"];
	        this.from_address = source["from_address"];
	        this.from_name = source["from_name"];
	        this.delivery = source["delivery"];
	        this.signature = source["signature"];
	    }
	}
	export class AgentCountDTO {
	    agent: string;
	    replies: number;
	
	    static createFrom(source: any = {}) {
	        return new AgentCountDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.agent = source["agent"];
	        this.replies = source["replies"];
	    }
	}
	export class AttachmentDTO {
	    index: number;
	    name: string;
	    content_type: string;
	    size: number;
	    inline: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AttachmentDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.name = source["name"];
	        this.content_type = source["content_type"];
	        this.size = source["size"];
	        this.inline = source["inline"];
	    }
	}
	export class TicketKeyDTO {
	    project_id: number;
	    iid: number;
	
	    static createFrom(source: any = {}) {
	        return new TicketKeyDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.project_id = source["project_id"];
	        this.iid = source["iid"];
	    }
	}
	export class BulkTriageDTO {
	    tickets: TicketKeyDTO[];
	    add_labels: string[];
	    remove_labels: string[];
	    assignees?: string[];
	    state: string;
	
	    static createFrom(source: any = {}) {
	        return new BulkTriageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tickets = this.convertValues(source["tickets"], TicketKeyDTO);
	        this.add_labels = source["add_labels"];
	        this.remove_labels = source["remove_labels"];
	        this.assignees = source["assignees"];
	        this.state = source["state"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CheckDTO {
	    ok: boolean;
	    summary: string;
	    details: string[];
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new CheckDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.summary = source["summary"];
	        this.details = source["details"];
	        this.problem = source["problem"];
	    }
	}
	export class SLADueDTO {
	    clock: string;
	    soon_at: string;
	    due_at: string;
	
	    static createFrom(source: any = {}) {
	        return new SLADueDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clock = source["clock"];
	        this.soon_at = source["soon_at"];
	        this.due_at = source["due_at"];
	    }
	}
	export class TicketRowDTO {
	    project_id: number;
	    project: string;
	    iid: number;
	    title: string;
	    state: string;
	    customer: string;
	    labels: string[];
	    assignees: string[];
	    snippet: string;
	    needs_reply: boolean;
	    created_at: string;
	    updated_at: string;
	    last_activity_at: string;
	    waiting_since: string;
	    unread: boolean;
	    match: string;
	    sla?: SLADueDTO;
	
	    static createFrom(source: any = {}) {
	        return new TicketRowDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.project_id = source["project_id"];
	        this.project = source["project"];
	        this.iid = source["iid"];
	        this.title = source["title"];
	        this.state = source["state"];
	        this.customer = source["customer"];
	        this.labels = source["labels"];
	        this.assignees = source["assignees"];
	        this.snippet = source["snippet"];
	        this.needs_reply = source["needs_reply"];
	        this.created_at = source["created_at"];
	        this.updated_at = source["updated_at"];
	        this.last_activity_at = source["last_activity_at"];
	        this.waiting_since = source["waiting_since"];
	        this.unread = source["unread"];
	        this.match = source["match"];
	        this.sla = this.convertValues(source["sla"], SLADueDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CustomerDTO {
	    name: string;
	    email: string;
	    organisation: string;
	    domain: string;
	    tickets: TicketRowDTO[];
	    tickets_total: number;
	
	    static createFrom(source: any = {}) {
	        return new CustomerDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.email = source["email"];
	        this.organisation = source["organisation"];
	        this.domain = source["domain"];
	        this.tickets = this.convertValues(source["tickets"], TicketRowDTO);
	        this.tickets_total = source["tickets_total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DayDTO {
	    date: string;
	    opened: number;
	    closed: number;
	
	    static createFrom(source: any = {}) {
	        return new DayDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.date = source["date"];
	        this.opened = source["opened"];
	        this.closed = source["closed"];
	    }
	}
	export class DraftDTO {
	    project_id: number;
	    iid: number;
	    body: string;
	    internal: boolean;
	    saved_at: string;
	
	    static createFrom(source: any = {}) {
	        return new DraftDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.project_id = source["project_id"];
	        this.iid = source["iid"];
	        this.body = source["body"];
	        this.internal = source["internal"];
	        this.saved_at = source["saved_at"];
	    }
	}
	export class GitLabFormDTO {
	    id: number;
	    name: string;
	    url: string;
	    project: string;
	    token: string;
	
	    static createFrom(source: any = {}) {
	        return new GitLabFormDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.url = source["url"];
	        this.project = source["project"];
	        this.token = source["token"];
	    }
	}
	export class IdentityFormDTO {
	    id: number;
	    name: string;
	    project_id: number;
	    from_address: string;
	    from_name: string;
	    delivery: string;
	    signature: string;
	    host: string;
	    port: number;
	    security: string;
	    login: string;
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new IdentityFormDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.project_id = source["project_id"];
	        this.from_address = source["from_address"];
	        this.from_name = source["from_name"];
	        this.delivery = source["delivery"];
	        this.signature = source["signature"];
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.login = source["login"];
	        this.password = source["password"];
	    }
	}
	export class LabelDTO {
	    name: string;
	    color: string;
	
	    static createFrom(source: any = {}) {
	        return new LabelDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.color = source["color"];
	    }
	}
	export class MacroDTO {
	    project_id: number;
	    path: string;
	    name: string;
	    description: string;
	    actions: string[];
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new MacroDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.project_id = source["project_id"];
	        this.path = source["path"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.actions = source["actions"];
	        this.problem = source["problem"];
	    }
	}
	export class MailHTMLDTO {
	    html: string;
	    remote_images: number;
	    remote_allowed: boolean;
	    sender_allowed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MailHTMLDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.html = source["html"];
	        this.remote_images = source["remote_images"];
	        this.remote_allowed = source["remote_allowed"];
	        this.sender_allowed = source["sender_allowed"];
	    }
	}
	export class MailRowDTO {
	    message_id: string;
	    subject: string;
	    from_name: string;
	    from_email: string;
	    date: string;
	    snippet: string;
	    body: string;
	    quoted: string;
	    folder: string;
	    has_html: boolean;
	    attachments: AttachmentDTO[];
	
	    static createFrom(source: any = {}) {
	        return new MailRowDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.message_id = source["message_id"];
	        this.subject = source["subject"];
	        this.from_name = source["from_name"];
	        this.from_email = source["from_email"];
	        this.date = source["date"];
	        this.snippet = source["snippet"];
	        this.body = source["body"];
	        this.quoted = source["quoted"];
	        this.folder = source["folder"];
	        this.has_html = source["has_html"];
	        this.attachments = this.convertValues(source["attachments"], AttachmentDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailPageDTO {
	    rows: MailRowDTO[];
	    offset: number;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new MailPageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], MailRowDTO);
	        this.offset = source["offset"];
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class MailboxFormDTO {
	    id: number;
	    name: string;
	    host: string;
	    port: number;
	    security: string;
	    login: string;
	    password: string;
	    project_id: number;
	    folders: string[];
	
	    static createFrom(source: any = {}) {
	        return new MailboxFormDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.login = source["login"];
	        this.password = source["password"];
	        this.project_id = source["project_id"];
	        this.folders = source["folders"];
	    }
	}
	export class MemberDTO {
	    username: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new MemberDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.name = source["name"];
	    }
	}
	export class OutboxOpDTO {
	    id: string;
	    project_id: number;
	    iid: number;
	    kind: string;
	    state: string;
	    reason: string;
	    retryable: boolean;
	    attempts: number;
	    body: string;
	    add_labels: string[];
	    remove_labels: string[];
	    assignees: string[];
	    state_change: string;
	    merge_into: number;
	    add_cc: string[];
	    remove_cc: string[];
	    delivery: string;
	    send_at: string;
	    next_try_at: string;
	    created_at: string;
	    updated_at: string;
	
	    static createFrom(source: any = {}) {
	        return new OutboxOpDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.project_id = source["project_id"];
	        this.iid = source["iid"];
	        this.kind = source["kind"];
	        this.state = source["state"];
	        this.reason = source["reason"];
	        this.retryable = source["retryable"];
	        this.attempts = source["attempts"];
	        this.body = source["body"];
	        this.add_labels = source["add_labels"];
	        this.remove_labels = source["remove_labels"];
	        this.assignees = source["assignees"];
	        this.state_change = source["state_change"];
	        this.merge_into = source["merge_into"];
	        this.add_cc = source["add_cc"];
	        this.remove_cc = source["remove_cc"];
	        this.delivery = source["delivery"];
	        this.send_at = source["send_at"];
	        this.next_try_at = source["next_try_at"];
	        this.created_at = source["created_at"];
	        this.updated_at = source["updated_at"];
	    }
	}
	export class SLAInfoDTO {
	    active: boolean;
	    problems: string[];
	    next_change_at: string;
	
	    static createFrom(source: any = {}) {
	        return new SLAInfoDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.active = source["active"];
	        this.problems = source["problems"];
	        this.next_change_at = source["next_change_at"];
	    }
	}
	export class StatusDTO {
	    syncing: boolean;
	    online: boolean;
	    last_sync_at: string;
	    last_error: string;
	    demo: boolean;
	    has_account: boolean;
	    demo_available: boolean;
	    error_kind: string;
	    progress: number;
	    last_summary: string;
	
	    static createFrom(source: any = {}) {
	        return new StatusDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.syncing = source["syncing"];
	        this.online = source["online"];
	        this.last_sync_at = source["last_sync_at"];
	        this.last_error = source["last_error"];
	        this.demo = source["demo"];
	        this.has_account = source["has_account"];
	        this.demo_available = source["demo_available"];
	        this.error_kind = source["error_kind"];
	        this.progress = source["progress"];
	        this.last_summary = source["last_summary"];
	    }
	}
	export class ViewDTO {
	    id: string;
	    name: string;
	    count: number;
	    query: string;
	    capped: boolean;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new ViewDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.count = source["count"];
	        this.query = source["query"];
	        this.capped = source["capped"];
	        this.error = source["error"];
	    }
	}
	export class ProjectDTO {
	    id: number;
	    path: string;
	    name: string;
	    labels: LabelDTO[];
	    members: MemberDTO[];
	
	    static createFrom(source: any = {}) {
	        return new ProjectDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.path = source["path"];
	        this.name = source["name"];
	        this.labels = this.convertValues(source["labels"], LabelDTO);
	        this.members = this.convertValues(source["members"], MemberDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OverviewDTO {
	    projects: ProjectDTO[];
	    views: ViewDTO[];
	    status: StatusDTO;
	    sla: SLAInfoDTO;
	
	    static createFrom(source: any = {}) {
	        return new OverviewDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.projects = this.convertValues(source["projects"], ProjectDTO);
	        this.views = this.convertValues(source["views"], ViewDTO);
	        this.status = this.convertValues(source["status"], StatusDTO);
	        this.sla = this.convertValues(source["sla"], SLAInfoDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PickedFileDTO {
	    token: string;
	    name: string;
	    size: number;
	
	    static createFrom(source: any = {}) {
	        return new PickedFileDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.token = source["token"];
	        this.name = source["name"];
	        this.size = source["size"];
	    }
	}
	export class PrefsDTO {
	    sidebar_width: number;
	    list_width: number;
	    notify: boolean;
	    window_width: number;
	    window_height: number;
	
	    static createFrom(source: any = {}) {
	        return new PrefsDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sidebar_width = source["sidebar_width"];
	        this.list_width = source["list_width"];
	        this.notify = source["notify"];
	        this.window_width = source["window_width"];
	        this.window_height = source["window_height"];
	    }
	}
	
	export class ReplyDTO {
	    project_id: number;
	    iid: number;
	    body: string;
	    internal: boolean;
	    send_at: string;
	    attachments: string[];
	
	    static createFrom(source: any = {}) {
	        return new ReplyDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.project_id = source["project_id"];
	        this.iid = source["iid"];
	        this.body = source["body"];
	        this.internal = source["internal"];
	        this.send_at = source["send_at"];
	        this.attachments = source["attachments"];
	    }
	}
	export class SLACountDTO {
	    met: number;
	    breached: number;
	
	    static createFrom(source: any = {}) {
	        return new SLACountDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.met = source["met"];
	        this.breached = source["breached"];
	    }
	}
	export class StatsDTO {
	    count: number;
	    median_s: number;
	    mean_s: number;
	    p90_s: number;
	
	    static createFrom(source: any = {}) {
	        return new StatsDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.count = source["count"];
	        this.median_s = source["median_s"];
	        this.mean_s = source["mean_s"];
	        this.p90_s = source["p90_s"];
	    }
	}
	export class ReportDTO {
	    from: string;
	    to: string;
	    opened: number;
	    closed: number;
	    unanswered: number;
	    first_response: StatsDTO;
	    resolution: StatsDTO;
	    replies_by_agent: AgentCountDTO[];
	    busiest_hours: number[][];
	    days: DayDTO[];
	    calendar: string;
	    first_response_sla: SLACountDTO;
	    resolution_sla: SLACountDTO;
	
	    static createFrom(source: any = {}) {
	        return new ReportDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.opened = source["opened"];
	        this.closed = source["closed"];
	        this.unanswered = source["unanswered"];
	        this.first_response = this.convertValues(source["first_response"], StatsDTO);
	        this.resolution = this.convertValues(source["resolution"], StatsDTO);
	        this.replies_by_agent = this.convertValues(source["replies_by_agent"], AgentCountDTO);
	        this.busiest_hours = source["busiest_hours"];
	        this.days = this.convertValues(source["days"], DayDTO);
	        this.calendar = source["calendar"];
	        this.first_response_sla = this.convertValues(source["first_response_sla"], SLACountDTO);
	        this.resolution_sla = this.convertValues(source["resolution_sla"], SLACountDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SLAClockDTO {
	    state: string;
	    target_s: number;
	    elapsed_s: number;
	    left_s: number;
	    late_s: number;
	    soon_at: string;
	    due_at: string;
	    achieved_at: string;
	
	    static createFrom(source: any = {}) {
	        return new SLAClockDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.target_s = source["target_s"];
	        this.elapsed_s = source["elapsed_s"];
	        this.left_s = source["left_s"];
	        this.late_s = source["late_s"];
	        this.soon_at = source["soon_at"];
	        this.due_at = source["due_at"];
	        this.achieved_at = source["achieved_at"];
	    }
	}
	
	export class SLADTO {
	    state: string;
	    first_response: SLAClockDTO;
	    resolution: SLAClockDTO;
	    calendar: string;
	
	    static createFrom(source: any = {}) {
	        return new SLADTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.first_response = this.convertValues(source["first_response"], SLAClockDTO);
	        this.resolution = this.convertValues(source["resolution"], SLAClockDTO);
	        this.calendar = source["calendar"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class SavedViewDTO {
	    id: number;
	    name: string;
	    query: string;
	
	    static createFrom(source: any = {}) {
	        return new SavedViewDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.query = source["query"];
	    }
	}
	
	
	export class TemplateDTO {
	    id: number;
	    name: string;
	    body: string;
	    updated_at: string;
	    project_id: number;
	    path: string;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new TemplateDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.body = source["body"];
	        this.updated_at = source["updated_at"];
	        this.project_id = source["project_id"];
	        this.path = source["path"];
	        this.problem = source["problem"];
	    }
	}
	export class ThreadEntryDTO {
	    kind: string;
	    author: string;
	    author_name: string;
	    body: string;
	    quoted: string;
	    created_at: string;
	    message_id: string;
	    folder: string;
	    subject: string;
	    has_html: boolean;
	    attachments: AttachmentDTO[];
	
	    static createFrom(source: any = {}) {
	        return new ThreadEntryDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.author = source["author"];
	        this.author_name = source["author_name"];
	        this.body = source["body"];
	        this.quoted = source["quoted"];
	        this.created_at = source["created_at"];
	        this.message_id = source["message_id"];
	        this.folder = source["folder"];
	        this.subject = source["subject"];
	        this.has_html = source["has_html"];
	        this.attachments = this.convertValues(source["attachments"], AttachmentDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TicketDTO {
	    project_id: number;
	    project: string;
	    iid: number;
	    title: string;
	    state: string;
	    customer: string;
	    labels: string[];
	    assignees: string[];
	    snippet: string;
	    needs_reply: boolean;
	    created_at: string;
	    updated_at: string;
	    last_activity_at: string;
	    waiting_since: string;
	    unread: boolean;
	    match: string;
	    sla?: SLADueDTO;
	    description: string;
	    web_url: string;
	    confidential: boolean;
	    closed_at: string;
	    thread: ThreadEntryDTO[];
	    merge_into: number;
	    customer_card: CustomerDTO;
	    first_response_at: string;
	    ticket_sla?: SLADTO;
	
	    static createFrom(source: any = {}) {
	        return new TicketDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.project_id = source["project_id"];
	        this.project = source["project"];
	        this.iid = source["iid"];
	        this.title = source["title"];
	        this.state = source["state"];
	        this.customer = source["customer"];
	        this.labels = source["labels"];
	        this.assignees = source["assignees"];
	        this.snippet = source["snippet"];
	        this.needs_reply = source["needs_reply"];
	        this.created_at = source["created_at"];
	        this.updated_at = source["updated_at"];
	        this.last_activity_at = source["last_activity_at"];
	        this.waiting_since = source["waiting_since"];
	        this.unread = source["unread"];
	        this.match = source["match"];
	        this.sla = this.convertValues(source["sla"], SLADueDTO);
	        this.description = source["description"];
	        this.web_url = source["web_url"];
	        this.confidential = source["confidential"];
	        this.closed_at = source["closed_at"];
	        this.thread = this.convertValues(source["thread"], ThreadEntryDTO);
	        this.merge_into = source["merge_into"];
	        this.customer_card = this.convertValues(source["customer_card"], CustomerDTO);
	        this.first_response_at = source["first_response_at"];
	        this.ticket_sla = this.convertValues(source["ticket_sla"], SLADTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class TicketPageDTO {
	    rows: TicketRowDTO[];
	    offset: number;
	    total: number;
	    capped: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TicketPageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], TicketRowDTO);
	        this.offset = source["offset"];
	        this.total = source["total"];
	        this.capped = source["capped"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TicketQuery {
	    view: string;
	    project_id: number;
	    search: string;
	    sort: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new TicketQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.view = source["view"];
	        this.project_id = source["project_id"];
	        this.search = source["search"];
	        this.sort = source["sort"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	
	export class TriageDTO {
	    project_id: number;
	    iid: number;
	    add_labels: string[];
	    remove_labels: string[];
	    assignees?: string[];
	    state: string;
	    add_cc: string[];
	    remove_cc: string[];
	
	    static createFrom(source: any = {}) {
	        return new TriageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.project_id = source["project_id"];
	        this.iid = source["iid"];
	        this.add_labels = source["add_labels"];
	        this.remove_labels = source["remove_labels"];
	        this.assignees = source["assignees"];
	        this.state = source["state"];
	        this.add_cc = source["add_cc"];
	        this.remove_cc = source["remove_cc"];
	    }
	}

}

